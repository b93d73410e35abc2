using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Recording;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Signposting to directory services, and whether people connected. An episode is signposted when, in the period, its
/// referral was declined pointing to a directory service or one of its conversations had a next small step at one; it
/// is followed up when a follow-up recorded whether the person connected (the latest answer counts). Free-text
/// signposts are not counted: nobody can say which service they meant.
/// </summary>
internal sealed record SignpostingReport(
    DateOnly From, DateOnly To, CountValue Signposted, CountValue SignpostedAtDecline, CountValue SignpostedAsNextSmallStep,
    CountValue FollowedUp, CountValue Connected, CountValue TriedButCouldNot, CountValue DidNot, RatePair ConnectedRate);

internal static class GetSignposting
{
    /// <summary>One episode's signposting: how it was signposted, and the latest follow-up answer about connecting.</summary>
    public sealed record EpisodeSignpost(bool AtDecline, bool AsNextSmallStep, string? Answer);

    /// <summary>Pure: the disclosure-controlled counts. The connected rate's `nhs` is over followed-up episodes, `allReferrals` over signposted ones.</summary>
    public static SignpostingReport Decide(ReportQuery q, IReadOnlyCollection<EpisodeSignpost> episodes, DisclosureSettings d)
    {
        int Of(Func<EpisodeSignpost, bool> p) => episodes.Count(p);
        var connected = Of(e => e.Answer == SignpostConnection.Connected);
        var followedUp = Of(e => e.Answer is not null);
        return new SignpostingReport(q.From, q.To,
            DisclosureControl.Count(episodes.Count, d), DisclosureControl.Count(Of(e => e.AtDecline), d), DisclosureControl.Count(Of(e => e.AsNextSmallStep), d),
            DisclosureControl.Count(followedUp, d), DisclosureControl.Count(connected, d),
            DisclosureControl.Count(Of(e => e.Answer == SignpostConnection.TriedButCouldNot), d), DisclosureControl.Count(Of(e => e.Answer == SignpostConnection.DidNot), d),
            DisclosureControl.Rates(connected, followedUp, episodes.Count, d));
    }

    /// <summary>
    /// Reads the published journey events of signposting and of follow-up answers, per episode: by their wire names (the
    /// journey catalog's), the signposts of the period by their own times. The events of these three types are read whole;
    /// should the store grow past what that allows, this becomes a projection.
    /// </summary>
    public static async Task<IReadOnlyCollection<EpisodeSignpost>> EpisodesAsync(IQuerySession session, JourneyCatalog catalog, ReportQuery q, CancellationToken ct)
    {
        async Task<List<T>> Events<T>() where T : class
        {
            var name = catalog.For(typeof(T))?.WireName ?? throw new InvalidOperationException($"{typeof(T).Name} is not a journey event.");
            return (await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == name).ToListAsync(ct)).Select(e => e.Data).OfType<T>().ToList();
        }

        bool InPeriod(DateTimeOffset at) => at >= q.FromInstant && at < q.ToExclusive;
        var declines = (await Events<ReferralDeclined>()).Where(e => e.SignpostedServiceId is not null && InPeriod(e.DeclinedAt)).ToList();
        var steps = (await Events<ConversationHeld>()).Where(e => e.NextSmallStepServiceId is not null && InPeriod(e.HeldAt)).ToList();
        var answers = (await Events<CircumstancesRecorded>()).Where(e => e.ConnectedWithSignpostedService is not null).ToList();

        var latest = answers.GroupBy(a => (a.ParticipantId, a.EpisodeNumber))
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.RecordedAt)!.ConnectedWithSignpostedService);
        var atDecline = declines.Select(e => (e.ParticipantId, e.EpisodeNumber)).ToHashSet();
        var asStep = steps.Select(e => (e.ParticipantId, e.EpisodeNumber)).ToHashSet();
        return atDecline.Union(asStep)
            .Select(k => new EpisodeSignpost(atDecline.Contains(k), asStep.Contains(k), latest.GetValueOrDefault(k)))
            .ToList();
    }

    public static Task<Results<Ok<SignpostingReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate,
        IQuerySession session, JourneyCatalog catalog, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, null, null, null, clock, async q => Decide(q, await EpisodesAsync(session, catalog, q, ct), disclosure));
}
