using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using WorkingConversations.Referrals.Fhir;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Fhir;

[Collection(ReferralsCollection.Name)]
public sealed class FhirReadAndCallbackTests(ServiceFixture service)
{
    [Fact]
    public async Task A_partner_reads_its_referral_as_a_service_request_whose_status_follows_triage_and_another_partner_gets_not_found()
    {
        var (_, partner) = await service.NewPartner();
        var (_, other) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var (_, response, _) = await partner.PostMessage(FhirBundles.Referral());
        var id = FhirBundles.FocusOf(response).GetProperty("id").GetString();

        var (status, read) = await partner.GetFhir($"/fhir/R4/ServiceRequest/{id}");
        Assert.Equal(200, status);
        Assert.Equal("ServiceRequest", read.GetProperty("resourceType").GetString());
        Assert.Equal("active", read.GetProperty("status").GetString());
        Assert.Contains(read.GetProperty("identifier").EnumerateArray(), i => i.GetProperty("value").GetString() == "DCA-2026-0042");
        Assert.DoesNotContain("Low mood", read.ToString());

        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{id}/waitlist", new { })).Status);
        Assert.Equal("on-hold", (await partner.GetFhir($"/fhir/R4/ServiceRequest/{id}")).Body.GetProperty("status").GetString());
        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{id}/decline", new { reason = "Out of area", signpostedTo = "Toxteth Tuesday Group" })).Status);
        var declined = (await partner.GetFhir($"/fhir/R4/ServiceRequest/{id}")).Body;
        Assert.Equal("revoked", declined.GetProperty("status").GetString());
        Assert.Contains("Toxteth Tuesday Group", declined.GetProperty("note").ToString());

        var (otherStatus, notFound) = await other.GetFhir($"/fhir/R4/ServiceRequest/{id}");
        Assert.Equal(404, otherStatus);
        Assert.Equal(["not-found"], FhirBundles.IssueCodes(notFound));
    }

    [Theory]
    [InlineData("received", "active")]
    [InlineData("accepted", "active")]
    [InlineData("in-conversation", "active")]
    [InlineData("waitlisted", "on-hold")]
    [InlineData("declined", "revoked")]
    [InlineData("withdrawn", "revoked")]
    [InlineData("ended", "completed")]
    public void Every_referral_status_maps_to_a_service_request_status(string ours, string fhir) =>
        Assert.Equal(fhir, Hl7.Fhir.Utility.EnumUtility.GetLiteral(ServiceRequestMapping.StatusOf(ours)));

    [Fact]
    public async Task The_capability_statement_lists_process_message_and_service_request_read()
    {
        var (_, partner) = await service.NewPartner();
        var (status, metadata) = await partner.GetFhir("/fhir/R4/metadata");

        Assert.Equal(200, status);
        Assert.Equal("CapabilityStatement", metadata.GetProperty("resourceType").GetString());
        Assert.Equal("4.0.1", metadata.GetProperty("fhirVersion").GetString());
        var rest = metadata.GetProperty("rest")[0];
        Assert.Equal("process-message", rest.GetProperty("operation")[0].GetProperty("name").GetString());
        Assert.Equal("ServiceRequest", rest.GetProperty("resource")[0].GetProperty("type").GetString());
        Assert.Equal("read", rest.GetProperty("resource")[0].GetProperty("interaction")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_a_partner_key_the_fhir_routes_answer_with_operation_outcomes()
    {
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var (noKeyStatus, noKey) = await service.ClientWithKey(null).GetFhir("/fhir/R4/metadata");
        var (caseworkerStatus, forbidden, _) = await caseworker.PostMessage(FhirBundles.Referral());

        Assert.Equal(401, noKeyStatus);
        Assert.Equal(["login"], FhirBundles.IssueCodes(noKey));
        Assert.Equal(403, caseworkerStatus);
        Assert.Equal(["forbidden"], FhirBundles.IssueCodes(forbidden));
    }

    [Fact]
    public async Task A_partner_registered_for_fhir_callbacks_gets_each_status_change_as_a_signed_servicerequest_response_message()
    {
        using var listener = new CallbackListener(_ => 200);
        var registered = await (await service.Admin().PostAsJsonAsync("/api/v1/partners",
            new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl = listener.Url, callbackFormat = "fhir" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var secret = registered.Str("callbackSecret");
        var (partner, _, _) = await service.ClientFor("partner", partnerId: registered.Id());
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        var bundle = FhirBundles.Referral();
        var (_, response, _) = await partner.PostMessage(bundle);
        var id = FhirBundles.FocusOf(response).GetProperty("id").GetString()!;
        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{id}/accept", new { })).Status);

        await listener.WaitUntil(a => a.Count(x => x.AnsweredWith == 200) >= 2, TimeSpan.FromSeconds(30));
        var messages = listener.Attempts.Select(a => (Attempt: a, Bundle: JsonSerializer.Deserialize<Resource>(a.Body, FhirJson.Options) as Bundle)).ToList();
        Assert.All(messages, m =>
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), m.Attempt.Body)), m.Attempt.Signature);
            Assert.NotNull(m.Bundle);
            Assert.Equal(Bundle.BundleType.Message, m.Bundle!.Type);
            var header = Assert.IsType<MessageHeader>(m.Bundle.Entry[0].Resource);
            Assert.Equal("servicerequest-response", Assert.IsType<Coding>(header.Event).Code);
            Assert.Equal(bundle["id"]!.GetValue<string>(), header.Response!.Identifier);
            Assert.True(new FhirValidator().Validate(m.Bundle).Success, "the callback message is valid FHIR R4");
        });
        var statuses = messages.Select(m => Assert.IsType<ServiceRequest>(m.Bundle!.Entry[1].Resource))
            .Select(r => (r.Status, Ours: r.GetExtensionValue<Code>(FhirUris.ReferralStatusExtension)?.Value)).ToList();
        Assert.Equal([(RequestStatus.Active, "received"), (RequestStatus.Active, "accepted")], statuses.Select(s => (s.Status, s.Ours!)).ToList());
    }
}
