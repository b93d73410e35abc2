using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.BuildingBlocks.Operations.DeadLetters;

/// <summary>
/// The administrators' pages of dead letters: the list (never a body), and a replay and a discard of one letter, each
/// behind a confirmation page. They call the API's own methods of <see cref="DeadLetterEndpoints"/>, so the page and the
/// API list, replay and discard the same way, through Wolverine's dead-letter store.
/// </summary>
internal static class DeadLetterPages
{
    public const string ListPath = "/dead-letters";
    private const string PageSize = "50";

    private static readonly IReadOnlyDictionary<string, FieldLabel> Labels = new Dictionary<string, FieldLabel>
    {
        ["cursor"] = new("Page", PageRefusals.FormAnchor),
    };

    public static void Describe(WebCatalog web) =>
        web.Navigate("Dead letters", ListPath, 40, Roles.Admin)
            .Home(40, [Roles.Admin], HomePanel);

    public static void Map(RouteGroupBuilder pages)
    {
        var letters = pages.MapGroup(ListPath).RequireRoles(Roles.Admin);
        letters.MapGet("", List).WithName("DeadLettersPage");
        letters.MapGet("/{id:guid}/replay", ConfirmReplay).WithName("ReplayDeadLetterPage");
        letters.MapPost("/{id:guid}/replay", Replay).WithName("ReplayDeadLetterForm");
        letters.MapGet("/{id:guid}/discard", ConfirmDiscard).WithName("DiscardDeadLetterPage");
        letters.MapPost("/{id:guid}/discard", Discard).WithName("DiscardDeadLetterForm");
    }

    private static async Task<IResult> List(IWolverineRuntime runtime, string? cursor, string? saved, CancellationToken ct)
    {
        var (filter, v) = DeadLetterEndpoints.Validate(null, null, null, PageSize, cursor is { Length: > 0 } ? cursor : null);
        if (filter is null)
        {
            return PageResult.Show<DeadLettersPage>(new Dictionary<string, object?>
            {
                ["Errors"] = v.ToRefusal().ToErrors(Labels), ["Retention"] = Retention(runtime),
            }, StatusCodes.Status400BadRequest);
        }

        var page = await DeadLetterEndpoints.PageAsync(filter, runtime, ct);
        return PageResult.Show<DeadLettersPage>(new Dictionary<string, object?>
        {
            ["Letters"] = page.Items,
            ["Next"] = page.NextCursor is { } next ? $"{ListPath}?cursor={Uri.EscapeDataString(next)}" : null,
            ["Saved"] = saved,
            ["Retention"] = Retention(runtime),
        });
    }

    private static TimeSpan Retention(IWolverineRuntime runtime) => runtime.Options.Durability.DeadLetterQueueExpiration;

    private static Task<IResult> ConfirmReplay(Guid id, IWolverineRuntime runtime) => Confirm(id, runtime, replay: true);

    private static Task<IResult> ConfirmDiscard(Guid id, IWolverineRuntime runtime) => Confirm(id, runtime, replay: false);

    private static async Task<IResult> Confirm(Guid id, IWolverineRuntime runtime, bool replay) =>
        await DeadLetterEndpoints.FindAsync(id, runtime) is { } letter
            ? PageResult.Show<DeadLetterActionPage>(new Dictionary<string, object?> { ["Letter"] = letter, ["Replay"] = replay })
            : Gone();

    private static async Task<IResult> Replay(Guid id, IWolverineRuntime runtime, CancellationToken ct) =>
        await DeadLetterEndpoints.ReplayAsync(id, runtime, ct)
            ? PageResult.SeeOther(ListPath, "The dead letter is sent for replay. Its handler runs again within a few seconds; if it fails again, it comes back to this list.")
            : Gone();

    private static async Task<IResult> Discard(Guid id, IWolverineRuntime runtime, CancellationToken ct) =>
        await DeadLetterEndpoints.DiscardAsync(id, runtime, ct)
            ? PageResult.SeeOther(ListPath, "The dead letter is discarded. It was deleted without being sent.")
            : Gone();

    /// <summary>The API's 404: someone else replayed or discarded it first, or it expired.</summary>
    private static IResult Gone() =>
        PageResult.Show<Web.Components.MessagePage>(new Dictionary<string, object?>
        {
            ["Title"] = "This dead letter is no longer there",
            ["Paragraphs"] = new[] { "It was replayed or discarded, perhaps by someone else, or it was kept longer than the retention period and deleted. Nothing was changed." },
            ["LinkHref"] = ListPath,
            ["LinkText"] = "Back to dead letters",
        }, StatusCodes.Status404NotFound);

    /// <summary>The administrator's home: how many messages wait in dead letters, counted by the store.</summary>
    private static async Task<RenderFragment?> HomePanel(PageData page)
    {
        var runtime = page.Http.RequestServices.GetRequiredService<IWolverineRuntime>();
        var count = await DeadLetterEndpoints.CountAsync(new DeadLetterEnvelopeQuery(), runtime, page.Cancellation);
        return Fragment.Of<DeadLettersPanel>(new Dictionary<string, object?> { ["Count"] = count });
    }
}
