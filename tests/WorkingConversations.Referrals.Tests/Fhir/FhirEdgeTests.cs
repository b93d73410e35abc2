using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Fhir;

/// <summary>
/// A refusal made before a FHIR route runs (by routing, the all-zero id guard, the framework) is still answered as FHIR:
/// an OperationOutcome as <c>application/fhir+json</c>, never an RFC 9457 problem a FHIR client cannot read.
/// </summary>
[Collection(ReferralsCollection.Name)]
public sealed class FhirEdgeTests(ServiceFixture service)
{
    [Fact]
    public async Task A_message_sent_as_multipart_without_a_boundary_is_a_415_operation_outcome()
    {
        var (_, partner) = await service.NewPartner();
        using var content = new StringContent(FhirBundles.Referral().ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");

        var response = await partner.PostAsync("/fhir/R4/$process-message", content);

        await AssertOutcome(response, 415, "not-supported");
    }

    [Fact]
    public async Task The_all_zero_service_request_id_is_a_404_operation_outcome()
    {
        var (_, partner) = await service.NewPartner();

        var response = await partner.GetAsync($"/fhir/R4/ServiceRequest/{Guid.Empty}");

        await AssertOutcome(response, 404, "not-found");
    }

    private static async Task AssertOutcome(HttpResponseMessage response, int status, string issueCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(FhirBundles.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = JsonDocument.Parse(text).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal([issueCode], FhirBundles.IssueCodes(outcome));
    }
}
