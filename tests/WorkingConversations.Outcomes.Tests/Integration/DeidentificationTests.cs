using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class DeidentificationTests(ServiceFixture service)
{
    [Fact]
    public async Task No_analyst_response_or_export_contains_a_name_postcode_contact_detail_date_of_birth_free_text_or_participant_id()
    {
        var d = await EpisodeDriver.Start(service);
        // Ages 58, 40 and 21 on the service's clock, which other tests move on.
        var today = DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
        string Born(int years) => today.AddYears(-years).AddDays(-100).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var people = new[]
        {
            new Person("Zebulon", "Quillfeather", Born(58), "ZE2 9QX", "zebulon.quillfeather@example.org", "07700 900123", "9434765919"),
            new Person("Ottoline", "Marchbanks", Born(40), "KW15 1RR", "ottoline@marchbanks.example", "+44 20 7946 0958"),
            new Person("Ignatius", "Wolstenholme", Born(21), "TR21 0LW"),
        };
        const string secret = "Sleeps in the allotment shed on Verbena Lane";
        var participants = new List<Guid>();
        foreach (var person in people)
        {
            var (referralId, participantId) = await d.Refer(person, reason: secret);
            participants.Add(participantId);
            await d.Accept(referralId);
            await d.Assign(participantId);
            await d.Hold(participantId, 2);
            await d.Scores(participantId, 15, 9, 5, 3);
            await d.Circumstances(participantId, "start", "homeless", "unemployed-seeking-work", "usually-cannot", false, false);
            await d.End(participantId);
        }

        var analyst = (await service.ClientFor("analyst")).Client;
        var bodies = new List<string>();
        foreach (var url in new[]
        {
            "summary", "summary?groupBy=month", "summary?groupBy=partner", "summary?groupBy=programme", "funnel", "relapse", "waiting-times", "export.csv",
        })
        {
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var response = await analyst.GetAsync($"/api/v1/outcomes/{url}{separator}from=2000-01-01&to=2100-12-31&partnerId={d.PartnerId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        var forbidden = people.SelectMany(p => new[] { p.GivenName, p.FamilyName, p.DateOfBirth, p.Postcode, p.Postcode.Replace(" ", "", StringComparison.Ordinal), p.Email, p.Phone, p.NhsNumber })
            .OfType<string>()
            .Concat(["Verbena", "allotment", "settled at home", "Call a friend", "Caseworker A"])
            .Concat(participants.SelectMany(id => new[] { id.ToString(), id.ToString("N") }));
        foreach (var body in bodies)
        foreach (var value in forbidden)
            Assert.DoesNotContain(value, body, StringComparison.OrdinalIgnoreCase);

        // The export did see the episodes: one row each, with an age band rather than a date of birth.
        var csv = bodies.Last().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csv.Length);
        var header = csv[0].TrimEnd('\r').Split(',');
        var ageBand = Array.IndexOf(header, "age_band");
        Assert.Equal(["55-64", "35-44", "18-24"], csv.Skip(1).Select(r => r.TrimEnd('\r').Split(',')[ageBand]));
    }

    [Fact]
    public async Task The_export_is_csv_with_one_row_per_episode_and_months_instead_of_dates()
    {
        var d = await EpisodeDriver.Start(service);
        await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        await d.Refer();

        var analyst = (await service.ClientFor("analyst")).Client;
        var response = await analyst.GetAsync($"/api/v1/outcomes/export.csv?from=2000-01-01&to=2100-12-31&partnerId={d.PartnerId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(3, lines.Count);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        var month = service.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(rows, r => Assert.Equal(month, r["received_month"]));
        var finished = Assert.Single(rows, r => r["finished_treatment"] == "1");
        Assert.Equal(("15", "5", "1", "1"), (finished["first_phq9"], finished["last_phq9"], finished["recovered"], finished["reliably_recovered"]));
        Assert.Equal("0", Assert.Single(rows, r => r["finished_treatment"] == "0")["accepted"]);
        Assert.DoesNotContain(header, h => h.Contains("name", StringComparison.Ordinal) || h.Contains("birth", StringComparison.Ordinal) || h.Contains("participant", StringComparison.Ordinal));
    }
}
