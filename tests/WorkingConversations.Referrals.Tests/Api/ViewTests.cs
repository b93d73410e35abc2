using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[Collection(ReferralsCollection.Name)]
public sealed class ViewTests(ServiceFixture service)
{
    [Fact]
    public async Task A_partner_sees_its_own_referral_without_clinical_detail_and_another_partners_as_not_found()
    {
        var (_, partner) = await service.NewPartner();
        var (_, otherPartner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created(People.Referral(riskIndicators: ["suicidal-thoughts"]))).Id();

        var own = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}");
        Assert.Equal("received", own.Str("status"));
        Assert.False(own.TryGetProperty("riskIndicators", out _));
        Assert.DoesNotContain("suicidal", own.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Low mood", own.GetRawText(), StringComparison.Ordinal);

        var other = await otherPartner.GetAsync($"/api/v1/referrals/{id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);

        var full = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}");
        Assert.Equal(["suicidal-thoughts"], full.GetProperty("riskIndicators").EnumerateArray().Select(r => r.GetString()!).ToArray());
    }

    [Fact]
    public async Task The_list_pages_a_partners_own_referrals_by_cursor_and_filters_by_status_and_since_while_a_caseworker_sees_every_partner()
    {
        var (_, partner) = await service.NewPartner();
        var (_, otherPartner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var mine = new List<Guid>();
        for (var i = 0; i < 5; i++) mine.Add((await partner.Created()).Id());
        var theirs = (await otherPartner.Created()).Id();
        await caseworker.Send($"/api/v1/referrals/{mine[1]}/waitlist", new { });

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(mine, seen);
        Assert.Equal(3, pages);

        var waitlisted = await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals?status=waitlisted");
        Assert.Equal([mine[1]], waitlisted.GetProperty("items").EnumerateArray().Select(i => i.Id()).ToArray());
        var third = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{mine[2]}");
        var since = await partner.GetFromJsonAsync<JsonElement>(
            $"/api/v1/referrals?since={Uri.EscapeDataString(third.GetProperty("receivedAt").GetDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture))}");
        Assert.Equal(mine[2..], since.GetProperty("items").EnumerateArray().Select(i => i.Id()).ToList());

        var all = await caseworker.GetFromJsonAsync<JsonElement>("/api/v1/referrals?limit=500");
        var ids = all.GetProperty("items").EnumerateArray().Select(i => i.Id()).ToHashSet();
        Assert.Contains(theirs, ids);
        Assert.All(mine, id => Assert.Contains(id, ids));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("status=lost", "status")]
    [InlineData("since=yesterday", "since")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    public async Task A_bad_list_query_gets_a_400_naming_the_parameter(string query, string field)
    {
        var (_, partner) = await service.NewPartner();
        var response = await partner.GetAsync("/api/v1/referrals?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task The_triage_queue_lists_undecided_referrals_oldest_first_with_how_long_each_has_waited()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var older = (await partner.Created()).Id();
        service.Clock.Advance(TimeSpan.FromDays(3));
        var newer = (await partner.Created()).Id();
        var decided = (await partner.Created()).Id();
        await caseworker.Send($"/api/v1/referrals/{decided}/decline", new { reason = "Out of area" });

        var queue = await caseworker.GetFromJsonAsync<JsonElement>("/api/v1/referrals/triage-queue?limit=500");
        var items = queue.GetProperty("items").EnumerateArray().ToList();
        var ids = items.Select(i => i.Id()).ToList();
        Assert.True(ids.IndexOf(older) >= 0 && ids.IndexOf(older) < ids.IndexOf(newer));
        Assert.DoesNotContain(decided, ids);
        var received = items.Select(i => i.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(received.Order().ToList(), received);
        Assert.True(items[ids.IndexOf(older)].GetProperty("waitingDays").GetInt32() >= 3);
        Assert.True(items[ids.IndexOf(newer)].GetProperty("waitingSeconds").GetInt64() < 3600);

        Assert.Equal(HttpStatusCode.Forbidden, (await partner.GetAsync("/api/v1/referrals/triage-queue")).StatusCode);
    }
}
