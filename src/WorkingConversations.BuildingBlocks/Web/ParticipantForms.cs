using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>
/// A form about one participant, the same way on every page that has one: drawn under the participant's summary with the
/// ETag it was drawn from; after a post, the participant's page with a banner when the write committed, or the form
/// again with what was typed and why it was refused (404 when the participant is not the caller's to see).
/// </summary>
public static class ParticipantForms
{
    public static Task<IResult> Show(WebCatalog web, PageData page, Guid participantId, Func<ParticipantContext, FormSpec> spec) =>
        Show(web, page, participantId, context => Task.FromResult(spec(context)));

    /// <summary>For a form whose fields need a read of their own (the practitioners a participant may be assigned).</summary>
    public static async Task<IResult> Show(WebCatalog web, PageData page, Guid participantId, Func<ParticipantContext, Task<FormSpec>> spec) =>
        await web.ContextOf(page, participantId) is { } context
            ? FormPages.Show(await spec(context), version: context.Version, above: context.Summary)
            : PageResult.NotFound();

    public static Task<IResult> Answer<TResult>(WebCatalog web, PageData page, Guid participantId, PostedForm form, WriteOutcome<TResult> outcome,
        Func<TResult, string> saved, Func<ParticipantContext, FormSpec> spec) =>
        Answer(web, page, participantId, form, outcome, saved, context => Task.FromResult(spec(context)));

    public static async Task<IResult> Answer<TResult>(WebCatalog web, PageData page, Guid participantId, PostedForm form, WriteOutcome<TResult> outcome,
        Func<TResult, string> saved, Func<ParticipantContext, Task<FormSpec>> spec)
    {
        if (outcome.IsCommitted) return PageResult.SeeOther($"/participants/{participantId}", saved(outcome.Result!));
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await web.ContextOf(page, participantId) is not { } context) return PageResult.NotFound();
        return FormPages.Refused(await spec(context), form, outcome.Refusal!, context.Version, context.Summary);
    }
}
