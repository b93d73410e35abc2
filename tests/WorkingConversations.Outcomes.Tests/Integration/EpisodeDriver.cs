using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// Builds whole episodes through the real API, as the partner, caseworker and practitioner would, on the shared scenario
/// chain: refer, accept, assign, hold and miss conversations, record questionnaires and circumstances, end.
/// </summary>
public sealed class EpisodeDriver(Scenario scenario, HttpClient partner, Guid partnerId, HttpClient caseworker, Guid practitionerId)
{
    public ServiceFixture Service => scenario.Service;
    public Guid PartnerId => partnerId;
    public HttpClient Caseworker => caseworker;
    public Guid PractitionerId => practitionerId;

    public static async Task<EpisodeDriver> Start(ServiceFixture service, string programme = "volunteer")
    {
        var scenario = new Scenario(service);
        var (partnerId, partner) = await scenario.Partner();
        var caseworker = await scenario.Caseworker();
        var (practitionerId, _) = await scenario.ClearedPractitioner(500, programme);
        return new EpisodeDriver(scenario, partner, partnerId, caseworker, practitionerId);
    }

    /// <summary>VolunteerTraining's message, published as that module would once a volunteer is certified.</summary>
    public static async Task<Guid> ClearPractitioner(ServiceFixture service, string programme) =>
        (await new Scenario(service).ClearedPractitioner(500, programme)).Id;

    public async Task<(Guid ReferralId, Guid ParticipantId)> Refer(Person? person = null, string reason = Scenario.DefaultReason)
    {
        var referred = await scenario.Referred(person, reason, partner);
        return (referred.ReferralId, referred.ParticipantId);
    }

    public Task Accept(Guid referralId) => scenario.Accept(referralId);

    public async Task Triage(Guid referralId, string action, object body) =>
        await Service.WaitForMessages(async () => await Expect(HttpStatusCode.OK, await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/{action}", body)));

    public Task Assign(Guid participantId, Guid? practitioner = null) => scenario.Assign(participantId, practitioner ?? practitionerId);

    public async Task<Guid> Schedule(Guid participantId)
    {
        var response = await caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations",
            new { scheduledFor = Service.Clock.GetUtcNow().AddDays(1), mode = "phone" });
        await Expect(HttpStatusCode.Created, response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
    }

    public async Task Hold(Guid participantId, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var conversation = await Schedule(participantId);
            await Expect(HttpStatusCode.OK, await caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
            {
                attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
                exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", riskDisclosed = false, durationMinutes = 45,
            }));
        }
    }

    public async Task Miss(Guid participantId)
    {
        var conversation = await Schedule(participantId);
        await Expect(HttpStatusCode.OK, await caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed", new { reason = "did-not-attend" }));
    }

    public async Task<JsonElement> Questionnaire(Guid participantId, string instrument, string timepoint, int?[] answers, DateTimeOffset administeredAt)
    {
        var response = await caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/questionnaires",
            new { instrument, timepoint, answers, administeredAt });
        await Expect(HttpStatusCode.Created, response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>PHQ-9 answers that total <paramref name="total"/> with item 9 at 0 (no risk indication), filling items in order.</summary>
    public static int?[] Phq9(int total) => Spread(total, 9, 3, lastItemZero: true);

    public static int?[] Gad7(int total) => Spread(total, 7, 3, lastItemZero: false);

    private static int?[] Spread(int total, int items, int max, bool lastItemZero)
    {
        var answers = new int?[items];
        var left = total;
        for (var i = 0; i < items; i++)
        {
            var value = lastItemZero && i == items - 1 ? 0 : Math.Min(max, left);
            answers[i] = value;
            left -= value;
        }

        if (left != 0) throw new ArgumentOutOfRangeException(nameof(total));
        return answers;
    }

    /// <summary>PHQ-9 and GAD-7 at the start (an hour ago) and at the end (now).</summary>
    public async Task Scores(Guid participantId, int phq9Start, int gad7Start, int phq9End, int gad7End)
    {
        var now = Service.Clock.GetUtcNow();
        await Questionnaire(participantId, "PHQ-9", "start", Phq9(phq9Start), now.AddHours(-1));
        await Questionnaire(participantId, "GAD-7", "start", Gad7(gad7Start), now.AddHours(-1));
        await Questionnaire(participantId, "PHQ-9", "end", Phq9(phq9End), now);
        await Questionnaire(participantId, "GAD-7", "end", Gad7(gad7End), now);
    }

    public async Task Circumstances(Guid participantId, string timepoint, string housing, string employment, string money, bool someone, bool community) =>
        await Expect(HttpStatusCode.Created, await caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances",
            new { timepoint, housing, employment, money, hasSomeoneToTurnTo = someone, takesPartInCommunity = community }));

    public async Task End(Guid participantId, string reason = "goals-reached") =>
        await Service.WaitForMessages(async () =>
            await Expect(HttpStatusCode.OK, await caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/end", new { reason })));

    /// <summary>Refer, accept, assign, hold conversations, score, end: one whole episode.</summary>
    public async Task<Guid> Episode(int held, int phq9Start, int gad7Start, int phq9End, int gad7End, bool end = true, Person? person = null)
    {
        var (referralId, participantId) = await Refer(person);
        await Accept(referralId);
        await Assign(participantId);
        await Hold(participantId, held);
        await Scores(participantId, phq9Start, gad7Start, phq9End, gad7End);
        if (end) await End(participantId);
        return participantId;
    }

    public async Task<EpisodeOutcome> Outcome(Guid participantId, int episode = 1)
    {
        await using var session = Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<EpisodeOutcome>(EpisodeOutcome.KeyOf(participantId, episode))
            ?? throw new InvalidOperationException($"No episode outcome for {participantId} episode {episode}.");
    }

    public static async Task Expect(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} gave {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
