using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Fidelity;

/// <summary>One self-rated conversation: when it was held and each item's answer. No participant, no free text.</summary>
public sealed record FidelityEntry(DateTimeOffset HeldAt, int Scale, FidelityRating Rating);

/// <summary>How often one item was answered yes, partly and no.</summary>
public sealed record FidelityItemTally(string Item, int Yes, int Partly, int No);

public sealed record FidelityOverTime(Guid PractitionerId, int ConversationsHeld, int ConversationsRated, IReadOnlyList<FidelityItemTally> Items, IReadOnlyList<FidelityEntry> Ratings);

internal static class GetFidelity
{
    /// <summary>Pure: a practitioner's self-ratings, earliest first, and each item's answers over them all.</summary>
    public static FidelityOverTime Build(Guid practitionerId, IEnumerable<ConversationSummary> held)
    {
        var conversations = held.Where(c => c.PractitionerId == practitionerId && c.Status == ConversationStatuses.Held).ToList();
        var rated = conversations.Where(c => c.Fidelity is not null).OrderBy(c => c.HeldAt).ThenBy(c => c.Id)
            .Select(c => new FidelityEntry(c.HeldAt!.Value, c.Scale ?? 0, c.Fidelity!)).ToList();
        var answers = rated.SelectMany(r => r.Rating.Answers()).ToLookup(a => a.Item, a => a.Answer);
        var items = FidelityItems.All.Select(item => new FidelityItemTally(item,
            answers[item].Count(a => a == FidelityItems.Yes), answers[item].Count(a => a == FidelityItems.Partly), answers[item].Count(a => a == FidelityItems.No))).ToList();
        return new FidelityOverTime(practitionerId, conversations.Count, rated.Count, items, rated);
    }

    public static async Task<Results<Ok<FidelityOverTime>, ProblemHttpResult>> Handle(Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (actor.IsIn(Roles.Practitioner) && actor.PractitionerId != id) return Problem.NotFound($"No practitioner with the id {id} is yours to see.");
        if (await session.LoadAsync<Practitioner>(id, ct) is null) return Problem.NotFound($"No practitioner has the id {id}.");
        return TypedResults.Ok(await Load(session, id, ct));
    }

    public static async Task<FidelityOverTime> Load(IQuerySession session, Guid practitionerId, CancellationToken ct) =>
        Build(practitionerId, await session.Query<ConversationSummary>()
            .Where(c => c.PractitionerId == practitionerId && c.Status == ConversationStatuses.Held).ToListAsync(ct));
}
