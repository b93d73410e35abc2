using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Directory;

/// <summary>
/// Imports an ORUK dataset: every service of it, by id. A service new to the directory is added, one whose object
/// differs from the stored one is changed, one the import no longer lists is removed, and a malformed record is rejected
/// with its path and leaves the stored service of that id (if any) as it was. Running the same import again changes nothing.
/// </summary>
internal static class ImportDirectory
{
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>Pure: what the import does to the directory, and the messages that tell other modules which services can be pointed to.</summary>
    public static Decision<DirectoryImportReport> Decide(IReadOnlyList<DirectoryService> stored, IReadOnlyList<DirectoryService> incoming,
        IReadOnlyList<DirectoryImportProblem> rejected, IReadOnlySet<string> rejectedIds, DateTimeOffset now)
    {
        var before = stored.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int added = 0, changed = 0, unchanged = 0, removed = 0;
        var changes = new List<DocumentChange>();
        var messages = new List<object>();
        foreach (var service in incoming)
        {
            seen.Add(service.Id);
            if (!before.TryGetValue(service.Id, out var old)) added++;
            else if (old.ContentHash != service.ContentHash) changed++;
            else { unchanged++; continue; }
            changes.Add(new DocumentChange(service, DocumentWrite.Store));
            messages.Add(new DirectoryServiceListed(service.Id, service.Name, service.Status, now));
        }

        foreach (var old in stored.Where(s => !seen.Contains(s.Id) && !rejectedIds.Contains(s.Id)))
        {
            removed++;
            changes.Add(new DocumentChange(old, DocumentWrite.Delete));
            messages.Add(new DirectoryServiceDelisted(old.Id, now));
        }

        var decision = Decision.Of(new DirectoryImportReport(added, changed, removed, unchanged, [.. rejected]));
        foreach (var change in changes) decision = change.Write == DocumentWrite.Delete ? decision.Delete(change.Document) : decision.Store(change.Document);
        foreach (var message in messages) decision = decision.Publish(message);
        return decision;
    }

    /// <summary>Pure: the records read, the rejected ones with their paths (a repeated id is rejected too), and the ids of the rejected.</summary>
    public static (List<DirectoryService> Services, List<DirectoryImportProblem> Rejected, HashSet<string> RejectedIds) Read(
        IEnumerable<(JsonNode? Node, string Path)> records, DateTimeOffset now)
    {
        var services = new List<DirectoryService>();
        var rejected = new List<DirectoryImportProblem>();
        var rejectedIds = new HashSet<string>(StringComparer.Ordinal);
        var firstPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (node, path) in records)
        {
            var (service, problems) = OrukRecords.Read(node, path, now);
            if (service is not null && !firstPath.TryAdd(service.Id, path))
            {
                problems.Add(new($"{path}.id", $"repeats the id of {firstPath[service.Id]}: each service once."));
                service = null;
            }

            if (service is null)
            {
                rejected.AddRange(problems);
                if ((node as JsonObject)?["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String) rejectedIds.Add(id.GetValue<string>());
                continue;
            }

            services.Add(service);
        }

        return (services, rejected, rejectedIds);
    }

    public static async Task<IResult> Handle(JsonBody<JsonNode> body, HttpContext http, WriteStep write, DirectoryFetcher fetcher)
    {
        var now = TimeProviderOf(http).GetUtcNow();
        IReadOnlyList<(JsonNode?, string)> records;
        switch (body.Read)
        {
            case JsonArray array:
                records = [.. array.Select((node, i) => (node, string.Create(CultureInfo.InvariantCulture, $"[{i}]")))];
                break;
            case JsonObject { Count: 1 } o when o["url"] is JsonValue url && url.GetValueKind() == JsonValueKind.String:
                var fetched = await fetcher.FetchAsync(url.GetValue<string>(), http.RequestAborted);
                if (fetched.Problem is { } problem) return Refusal.Invalid("url", problem).ToProblem();
                records = fetched.Records;
                break;
            default:
                return Refusal.Invalid("body", "must be a JSON array of full ORUK service objects, or { \"url\": \"<ORUK API base URL>\" }.").ToProblem();
        }

        var (services, rejected, rejectedIds) = Read(records, now);
        return await write.RunAsync(http, async attempt =>
            {
                var stored = await attempt.Session.Query<DirectoryService>().ToListAsync(attempt.Cancellation);
                return Decide(stored, services, rejected, rejectedIds, attempt.Now);
            },
            Answer.Ok);
    }

    /// <summary>The same import from a file, for the host's <c>directory import</c> command: one transaction with its messages, as the route's.</summary>
    public static async Task<DirectoryImportReport> ImportFileAsync(IServiceProvider services, string json, CancellationToken ct)
    {
        var now = ((TimeProvider?)services.GetService(typeof(TimeProvider)) ?? TimeProvider.System).GetUtcNow();
        if (JsonNode.Parse(json) is not JsonArray array) throw new InvalidDataException("The file must hold a JSON array of full ORUK service objects.");
        var (incoming, rejected, rejectedIds) = Read(array.Select((node, i) => (node, string.Create(CultureInfo.InvariantCulture, $"[{i}]"))), now);

        var session = (IDocumentSession)services.GetService(typeof(IDocumentSession))!;
        var outbox = (IMartenOutbox)services.GetService(typeof(IMartenOutbox))!;
        outbox.Enroll(session);
        var stored = await session.Query<DirectoryService>().ToListAsync(ct);
        var decision = Decide(stored, incoming, rejected, rejectedIds, now);
        foreach (var change in decision.Documents)
        {
            if (change.Write == DocumentWrite.Delete) session.Delete((DirectoryService)change.Document);
            else session.Store((DirectoryService)change.Document);
        }

        foreach (var message in decision.Messages) await outbox.PublishAsync(message.Message);
        await session.SaveChangesAsync(ct);
        return decision.Result!;
    }

    private static TimeProvider TimeProviderOf(HttpContext http) => (TimeProvider)http.RequestServices.GetService(typeof(TimeProvider))!;
}
