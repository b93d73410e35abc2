using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class MetricsTests(ServiceFixture service)
{
    [Fact]
    public async Task After_a_referral_is_accepted_the_scrape_holds_Wolverines_message_meters_and_Martens_append_counter()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = $"REF-{Guid.NewGuid():N}"[..20],
            person = new { givenName = "Sam", familyName = $"Metric-{Guid.NewGuid():N}"[..20], dateOfBirth = "1990-04-01", postcode = "L8 1XY" },
            reason = "Low mood since losing work",
            consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "Caseworker A" },
            riskIndicators = Array.Empty<string>(),
            preferredContact = "phone",
        });
        var referralId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { })).StatusCode));

        var scrape = (await service.ClientWithKey(null).GetStringAsync("/metrics")).Split('\n');

        // Wolverine's meter ("Wolverine:<service>"): the message between the modules was sent and handled.
        var accepted = $"message_type=\"{typeof(Referrals.Contracts.ReferralAccepted).FullName}\"";
        Assert.Contains(scrape, l => l.StartsWith("wolverine_messages_sent", StringComparison.Ordinal) && l.Contains(accepted, StringComparison.Ordinal));
        Assert.Contains(scrape, l => l.StartsWith("wolverine_messages_succeeded", StringComparison.Ordinal) && l.Contains(accepted, StringComparison.Ordinal));
        Assert.Contains(scrape, l => l.StartsWith("wolverine_execution_time", StringComparison.Ordinal));
        Assert.Contains(scrape, l => l.StartsWith("wolverine_inbox_count", StringComparison.Ordinal));
        // Marten's meter ("Marten"): the events appended, by type, the acceptance and the episode it opened among them.
        Assert.Contains(scrape, l => l.StartsWith("marten_event_append", StringComparison.Ordinal) && l.Contains("otel_scope_name=\"Marten\"", StringComparison.Ordinal)
            && l.Contains("event_type=\"referral-accepted\"", StringComparison.Ordinal));
        Assert.Contains(scrape, l => l.StartsWith("marten_event_append", StringComparison.Ordinal) && l.Contains("event_type=\"episode-opened\"", StringComparison.Ordinal));
    }
}
