using System.Text.Json;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class PostReferralRequestJsonTests
{
    [Fact]
    public void Reads_the_camel_case_body_of_the_api_contract()
    {
        const string json = """
            {
              "partnerReference": "ABC-123",
              "person": { "givenName": "Sam", "familyName": "Jones", "dateOfBirth": "1990-04-01",
                          "postcode": "L8 1XY", "nhsNumber": "9434765919", "email": "sam@example.org", "phone": "0151 496 0000" },
              "reason": "free text, up to 4000 characters",
              "consent": { "given": true, "recordedAt": "2026-11-01T10:00:00Z", "recordedBy": "caseworker name" },
              "riskIndicators": ["self-harm-history"],
              "preferredContact": "phone"
            }
            """;

        var request = JsonSerializer.Deserialize<PostReferralRequest>(json, JsonSerializerOptions.Web)!;

        Assert.Equal("ABC-123", request.PartnerReference);
        Assert.Equal(new DateOnly(1990, 4, 1), request.Person!.DateOfBirth);
        Assert.Equal("9434765919", request.Person.NhsNumber);
        Assert.True(request.Consent!.Given);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), request.Consent.RecordedAt);
        Assert.Equal(["self-harm-history"], request.RiskIndicators!);
        Assert.True(ReferralValidation.Validate(request, new DateOnly(2026, 11, 2)).IsValid);
    }

    [Fact]
    public void Missing_and_null_fields_reach_validation_instead_of_failing_the_reader()
    {
        var request = JsonSerializer.Deserialize<PostReferralRequest>(
            """{ "person": { "givenName": null }, "consent": {} }""", JsonSerializerOptions.Web)!;

        var v = ReferralValidation.Validate(request, new DateOnly(2026, 11, 2));

        Assert.Equal(
            new[] { "consent.given", "partnerReference", "person.dateOfBirth", "person.familyName", "person.givenName", "reason" },
            v.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_and_statuses_sent_by_the_client_have_nothing_to_bind_to()
    {
        var request = JsonSerializer.Deserialize<PostReferralRequest>(
            """{ "id": "0b7c5e0e-8d7e-4d53-9a53-3c1f2f6f8a10", "status": "accepted", "participantId": "x", "partnerReference": "R1" }""",
            JsonSerializerOptions.Web)!;

        Assert.Equal(new PostReferralRequest { PartnerReference = "R1" }, request);
        Assert.DoesNotContain(typeof(PostReferralRequest).GetProperties(),
            p => p.Name.Contains("Id", StringComparison.Ordinal) || p.Name.Contains("Status", StringComparison.Ordinal));
    }
}
