using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Triage;

/// <summary>
/// What every triage route does: find the referral the caller may see (404 otherwise), decide on the journey's state,
/// and answer with the caller's view of the referral after the change.
/// </summary>
internal static class TriageStep
{
    /// <summary>The 409 of a change the referral's status does not allow, naming that status.</summary>
    public static Refusal NotAllowed(string currentStatus, string? detail = null) =>
        Refusal.Conflict(detail ?? $"The referral is '{currentStatus}', and that does not allow this change.").With("currentStatus", currentStatus);

    public static Task<IResult> Run<TEvent>(Guid id, HttpContext http, WriteStep write, Func<ReferralsJourney, DateTimeOffset, Decision<TEvent>> decide)
        where TEvent : notnull =>
        Run(id, http, write, new BuildingBlocks.Validation(), decide);

    public static Task<IResult> Run<TEvent>(Guid id, HttpContext http, WriteStep write, BuildingBlocks.Validation request,
        Func<ReferralsJourney, DateTimeOffset, Decision<TEvent>> decide) where TEvent : notnull =>
        Run(id, http, write, request, (journey, attempt) => Task.FromResult(decide(journey, attempt.Now)));

    /// <summary>A triage decision that reads something more first (the directory service a decline points to).</summary>
    public static Task<IResult> Run<TEvent>(Guid id, HttpContext http, WriteStep write, BuildingBlocks.Validation request,
        Func<ReferralsJourney, WriteAttempt, Task<Decision<TEvent>>> decide) where TEvent : notnull =>
        write.RunAsync(http, request, Deciding(id, decide), Answer.Ok);

    /// <summary>The triage write of the API and the pages: the referral the caller may see, decided on its journey's state.</summary>
    public static Func<WriteAttempt, Task<Decision<object>>> Deciding<TEvent>(Guid id, Func<ReferralsJourney, DateTimeOffset, Decision<TEvent>> decide)
        where TEvent : notnull =>
        Deciding(id, (ReferralsJourney journey, WriteAttempt attempt) => Task.FromResult(decide(journey, attempt.Now)));

    public static Func<WriteAttempt, Task<Decision<object>>> Deciding<TEvent>(Guid id, Func<ReferralsJourney, WriteAttempt, Task<Decision<TEvent>>> decide)
        where TEvent : notnull =>
        async attempt =>
        {
            var view = await attempt.Session.LoadAsync<ReferralView>(id, attempt.Cancellation);
            if (view is null || GetReferral.Present(view, attempt.Actor) is null) return Refusal.NotFound($"No referral has the id {id}.");
            var journey = await attempt.Stream<ReferralsJourney>(view.ParticipantId);
            // The answer is the caller's view as the inline projection makes it of the change, in the same transaction.
            return (await decide(journey!, attempt)).Select(e => GetReferral.Present(ReferralViewProjection.Applied(view, e) ?? view, attempt.Actor)!);
        };
}
