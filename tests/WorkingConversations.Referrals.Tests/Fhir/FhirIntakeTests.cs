using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Fhir;

[Collection(ReferralsCollection.Name)]
public sealed class FhirIntakeTests(ServiceFixture service)
{
    [Fact]
    public async Task A_referral_message_makes_the_same_referral_as_the_json_route()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        var bundle = FhirBundles.Referral();
        var (status, response, http) = await partner.PostMessage(bundle);
        Assert.True(status == 200, $"{status}: {response}");
        Assert.StartsWith("application/fhir+json", http.Content.Headers.ContentType!.ToString());
        var header = response.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("servicerequest-response", header.GetProperty("eventCoding").GetProperty("code").GetString());
        Assert.Equal(bundle["id"]!.GetValue<string>(), header.GetProperty("response").GetProperty("identifier").GetString());
        var serviceRequest = FhirBundles.FocusOf(response);
        Assert.Equal("active", serviceRequest.GetProperty("status").GetString());
        var referralId = Guid.Parse(serviceRequest.GetProperty("id").GetString()!);
        Assert.Equal($"/fhir/R4/ServiceRequest/{referralId}", http.Headers.Location!.ToString());

        // The same referral sent as JSON, for a person alike in everything but name and NHS number.
        var json = new Dictionary<string, object?>
        {
            ["partnerReference"] = "DCA-2026-0042",
            ["person"] = new Dictionary<string, object?>
            {
                ["givenName"] = "Sam", ["familyName"] = People.FamilyName(), ["dateOfBirth"] = "1990-04-01", ["postcode"] = "L8 1XY",
                ["nhsNumber"] = People.NhsNumber(), ["phone"] = "07700 900123",
            },
            ["reason"] = "Low mood since losing work\n\nPrefers a morning call.",
            ["consent"] = new Dictionary<string, object?> { ["given"] = true, ["recordedAt"] = "2026-03-01T14:00:00+00:00", ["recordedBy"] = "Caseworker A" },
            ["riskIndicators"] = new[] { "self-harm-history" },
            ["preferredContact"] = "phone",
        };
        var twin = await partner.Created(json);

        var fromFhir = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{referralId}");
        var fromJson = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{twin.Id()}");
        foreach (var field in new[] { "partnerReference", "status", "episodeNumber", "attachedToOpenEpisode", "riskIndicators" })
        {
            Assert.Equal(fromJson.GetProperty(field).ToString(), fromFhir.GetProperty(field).ToString());
        }

        var fhirExport = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{fromFhir.Id("participantId")}/export");
        var jsonExport = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{twin.Id("participantId")}/export");
        var fhirEvent = fhirExport.GetProperty("events")[0].GetProperty("data");
        var jsonEvent = jsonExport.GetProperty("events")[0].GetProperty("data");
        foreach (var field in new[] { "reason", "riskIndicators", "preferredContact", "ageAtReferral", "episodeNumber", "partnerReference" })
        {
            Assert.Equal(jsonEvent.GetProperty(field).ToString(), fhirEvent.GetProperty(field).ToString());
        }

        var identity = fhirExport.GetProperty("identity");
        Assert.Equal(FhirBundles.Patient(bundle)["identifier"]![0]!["value"]!.GetValue<string>(), identity.GetProperty("nhsNumber").GetString());
        foreach (var field in new[] { "givenName", "dateOfBirth", "postcode", "phone" })
        {
            Assert.Equal(jsonExport.GetProperty("identity").GetProperty(field).ToString(), identity.GetProperty(field).ToString());
        }
    }

    [Fact]
    public async Task A_message_about_a_person_already_referred_joins_their_journey_like_a_json_referral_does()
    {
        var (_, partner) = await service.NewPartner();
        var (_, otherPartner) = await service.NewPartner();
        var nhs = People.NhsNumber();
        var first = await partner.Created(People.Referral(nhsNumber: nhs));

        var (status, response, _) = await otherPartner.PostMessage(FhirBundles.Referral(nhsNumber: nhs));
        Assert.Equal(200, status);

        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var view = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{FhirBundles.FocusOf(response).GetProperty("id").GetString()}");
        Assert.Equal(first.Id("participantId"), view.Id("participantId"));
        Assert.True(view.GetProperty("attachedToOpenEpisode").GetBoolean());
    }

    public static TheoryData<string, Func<JsonObject, string>, int, string, string> BrokenRules => new()
    {
        { "wrong event code", b => Set(b, x => FhirBundles.Header(x)["eventCoding"]!["code"] = "booking-request"), 400, "Bundle.entry[0].resource.event", "not-supported" },
        { "no Patient", b => Set(b, x => x["entry"]!.AsArray().RemoveAt(2)), 400, "Bundle.entry.resource.ofType(Patient)", "required" },
        { "NHS number failing modulus 11", b => Set(b, x => FhirBundles.Patient(x)["identifier"]![0]!["value"] = "9434765918"), 400, "Bundle.entry[2].resource.identifier[0].value", "value" },
        { "wrong identifier system", b => Set(b, x => FhirBundles.Patient(x)["identifier"]![0]!["system"] = "https://fhir.nhs.uk/Id/nhs-numbers"), 400, "Bundle.entry[2].resource.identifier", "required" },
        { "missing birth date", b => Set(b, x => FhirBundles.Patient(x).Remove("birthDate")), 400, "Bundle.entry[2].resource.birthDate", "required" },
        { "unknown resource type", b => Set(b, x => FhirBundles.Resource(x, 4)["resourceType"] = "Organisation"), 400, "Bundle.entry[4].resource", "value" },
        { "malformed JSON", b => b.ToJsonString()[..^40], 400, "Bundle", "structure" },
        { "a 2 MB Bundle", b => Set(b, x => FhirBundles.ServiceRequest(x)["note"]![0]!["text"] = new string('x', 2 * 1024 * 1024)), 413, "Bundle", "too-costly" },
        { "consent not given", b => Set(b, x => FhirBundles.Consent(x)["status"] = "rejected"), 400, "Bundle.entry[3].resource.status", "value" },
        { "no Consent", b => Set(b, x => x["entry"]!.AsArray().RemoveAt(3)), 400, "Bundle.entry.resource.ofType(Consent)", "required" },
        { "intent not plan", b => Set(b, x => FhirBundles.ServiceRequest(x)["intent"] = "order"), 400, "Bundle.entry[1].resource.intent", "value" },
        { "no requester", b => Set(b, x => FhirBundles.ServiceRequest(x).Remove("requester")), 400, "Bundle.entry[1].resource.requester", "required" },
        { "no reason", b => Set(b, x => { FhirBundles.ServiceRequest(x).Remove("reasonCode"); FhirBundles.ServiceRequest(x).Remove("note"); }), 400, "Bundle.entry[1].resource.reasonCode", "required" },
        { "a date that is not a date", b => Set(b, x => FhirBundles.Patient(x)["birthDate"] = "1990-13-01"), 400, "Bundle.entry[2].resource.birthDate", "value" },
        { "under 16", b => Set(b, x => FhirBundles.Patient(x)["birthDate"] = DateTime.UtcNow.AddYears(-15).ToString("yyyy-MM-dd")), 400, "Bundle.entry[2].resource.birthDate", "value" },
        { "not a postcode", b => Set(b, x => FhirBundles.Patient(x)["address"]![0]!["postalCode"] = "L8 1X"), 400, "Bundle.entry[2].resource.address[0].postalCode", "value" },
        { "not a message Bundle", b => Set(b, x => x["type"] = "collection"), 400, "Bundle.type", "value" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task A_message_that_breaks_a_rule_gets_an_operation_outcome_naming_the_element_and_records_nothing(
        string rule, Func<JsonObject, string> breakIt, int expectedStatus, string expression, string issueCode)
    {
        var (_, partner) = await service.NewPartner();
        var (status, outcome, http) = await partner.PostMessage(breakIt(FhirBundles.Referral()));

        Assert.True(status == expectedStatus, $"{rule}: {status} {outcome}");
        Assert.StartsWith("application/fhir+json", http.Content.Headers.ContentType!.ToString());
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Contains(expression, FhirBundles.Expressions(outcome));
        Assert.Contains(issueCode, FhirBundles.IssueCodes(outcome));
        Assert.All(outcome.GetProperty("issue").EnumerateArray(), i => Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("diagnostics").GetString())));

        var list = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Every_broken_rule_of_a_message_is_reported_at_once()
    {
        var (_, partner) = await service.NewPartner();
        var bundle = FhirBundles.Referral();
        FhirBundles.Header(bundle)["eventCoding"]!["code"] = "booking-request";
        FhirBundles.Patient(bundle)["identifier"]![0]!["value"] = "9434765918";
        FhirBundles.Patient(bundle)["name"]![0]!["given"] = new JsonArray("-");

        var (status, outcome, _) = await partner.PostMessage(bundle);

        Assert.Equal(400, status);
        var expressions = FhirBundles.Expressions(outcome);
        Assert.Contains("Bundle.entry[0].resource.event", expressions);
        Assert.Contains("Bundle.entry[2].resource.identifier[0].value", expressions);
        Assert.Contains("Bundle.entry[2].resource.name[0].given[0]", expressions);
    }

    private static string Set(JsonObject bundle, Action<JsonObject> change)
    {
        change(bundle);
        return bundle.ToJsonString();
    }
}
