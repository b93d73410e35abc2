using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Fhir;

[Collection(ReferralsCollection.Name)]
public sealed class FhirDuplicateTests(ServiceFixture service)
{
    [Fact]
    public async Task A_repeated_bundle_id_is_a_409_duplicate_naming_the_first_service_request_and_never_a_second_referral()
    {
        var (_, partner) = await service.NewPartner();
        var bundle = FhirBundles.Referral();
        var (first, response, _) = await partner.PostMessage(bundle);
        Assert.Equal(200, first);
        var referralId = FhirBundles.FocusOf(response).GetProperty("id").GetString()!;

        // The same message again, and the same id with other content: both are the message received before.
        var (again, outcome, _) = await partner.PostMessage(bundle);
        FhirBundles.ServiceRequest(bundle)["note"]![0]!["text"] = "Changed my mind about mornings.";
        var (changed, changedOutcome, _) = await partner.PostMessage(bundle);

        foreach (var (status, body) in new[] { (again, outcome), (changed, changedOutcome) })
        {
            Assert.Equal(409, status);
            Assert.Equal(["duplicate"], FhirBundles.IssueCodes(body));
            Assert.Equal(["Bundle.id"], FhirBundles.Expressions(body));
            Assert.Contains($"ServiceRequest/{referralId}", body.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
        }

        var list = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_message_whose_answer_was_lost_after_the_commit_is_a_duplicate_when_sent_again()
    {
        var (_, partner) = await service.NewPartner();
        var bundle = FhirBundles.Referral();

        service.Faults.FailNextAfterCommit();
        var (lost, _, _) = await partner.PostMessage(bundle);
        Assert.Equal(500, lost);

        var (again, outcome, _) = await partner.PostMessage(bundle);
        Assert.Equal(409, again);
        Assert.Equal(["duplicate"], FhirBundles.IssueCodes(outcome));
        var list = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_same_message_sent_five_times_at_once_makes_one_referral_and_four_duplicates()
    {
        var (_, partner) = await service.NewPartner();
        var body = FhirBundles.Referral().ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => partner.PostMessage(body)));

        Assert.Equal(1, answers.Count(a => a.Status == 200));
        Assert.All(answers.Where(a => a.Status != 200), a =>
        {
            Assert.Equal(409, a.Status);
            Assert.Equal(["duplicate"], FhirBundles.IssueCodes(a.Body));
        });
        var list = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Two_partners_may_send_messages_with_the_same_bundle_id()
    {
        var (_, partner) = await service.NewPartner();
        var (_, other) = await service.NewPartner();
        var bundle = FhirBundles.Referral();
        Assert.Equal(200, (await partner.PostMessage(bundle)).Status);

        FhirBundles.Patient(bundle)["identifier"]![0]!["value"] = People.NhsNumber();
        FhirBundles.Patient(bundle)["name"]![0]!["family"] = People.FamilyName();
        Assert.Equal(200, (await other.PostMessage(bundle)).Status);
    }

    [Fact]
    public async Task An_idempotency_key_repeat_gets_the_first_answer_again()
    {
        var (_, partner) = await service.NewPartner();
        var body = FhirBundles.Referral().ToJsonString();
        partner.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var first = await partner.PostMessage(body);
        var repeat = await partner.PostMessage(body);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, repeat.Status);
        Assert.Equal("true", repeat.Response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.StartsWith("application/fhir+json", repeat.Response.Content.Headers.ContentType!.ToString());
        Assert.Equal(first.Body.ToString(), repeat.Body.ToString());
    }
}
