using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Runtime;
using Wolverine.Tracking;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests.Observability;

[CollectionDefinition(Name)]
public sealed class TracingCollection : ICollectionFixture<TracedServiceFixture>
{
    public const string Name = "tracing";
}

[CollectionDefinition(Name)]
public sealed class TwoNodeTracingCollection : ICollectionFixture<TwoRabbitMqNodes>
{
    public const string Name = "tracing-two-nodes";
}

internal static class Accepting
{
    /// <summary>A fresh referral, accepted by a caseworker on <paramref name="node"/>, with the request's trace id.</summary>
    public static async Task<(Guid ReferralId, HttpResponseMessage Accepted)> Referral(ServiceFixture node, Func<Func<Task>, Task> track)
    {
        var (_, partner) = await node.NewPartner();
        var (caseworker, _, _) = await node.ClientFor("caseworker");
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", WalkingSkeletonTests.Referral($"Trace-{Guid.NewGuid():N}"[..20]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referralId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        HttpResponseMessage? accepted = null;
        await track(async () => accepted = await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { }));
        Assert.Equal(HttpStatusCode.OK, accepted!.StatusCode);
        return (referralId, accepted);
    }
}

public static class TraceAssertions
{
    /// <summary>
    /// The accept request's trace, as a collector would join it: the HTTP span, the outbox's send of ReferralAccepted, the
    /// handler in Conversations below it, and that handler's database commands below the handler.
    /// </summary>
    public static void RunsFromTheRequestThroughTheOutboxToTheHandlerAndItsDatabaseCalls(Guid referralId, params Spans[] exporters)
    {
        var all = exporters.SelectMany(e => e.Snapshot()).DistinctBy(s => s.SpanId).ToList();
        var request = Assert.Single(all, s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("url.path") is string path && path == $"/api/v1/referrals/{referralId}/accept");
        var trace = Spans.OfTrace(request.TraceId, exporters);
        var described = Spans.Describe(trace);

        // In the request: the append of ReferralAccepted and the message's row in Wolverine's tables go to the database
        // together (the transactional outbox)...
        Assert.True(trace.Any(s => s.Source.Name == "Npgsql" && Spans.Descends(s, request, trace) && Sql(s).Contains("mt_quick_append_events", StringComparison.Ordinal)
            && Sql(s).Contains("insert into wolverine.wolverine_", StringComparison.Ordinal)), $"No append with its outbox row in the request:\n{described}");
        // ...and after the commit the outbox sends the message, still within the request's trace.
        Assert.True(trace.Any(s => s.Source.Name == "Wolverine" && s.Kind == ActivityKind.Producer && Spans.Descends(s, request, trace)
            && (string?)s.GetTagItem("messaging.message_type") == typeof(Referrals.Contracts.ReferralAccepted).FullName), $"No send of ReferralAccepted in the request's trace:\n{described}");

        // The handler in the next module runs in the same trace, and its database calls (the EpisodeOpened append) are below it.
        // (A retried attempt would add a span of its own; one of them must show the whole path.)
        var handlers = trace.Where(s => s.Source.Name == "Wolverine" && s.GetTagItem("message.handler") is string h
            && h.StartsWith("WorkingConversations.Conversations.", StringComparison.Ordinal)
            && (string?)s.GetTagItem("messaging.message_type") == typeof(Referrals.Contracts.ReferralAccepted).FullName).ToList();
        Assert.True(handlers.Count > 0, $"No Conversations handler of ReferralAccepted in the request's trace:\n{described}");
        Assert.All(handlers, h => Assert.True(Spans.Descends(h, request, trace), described));
        Assert.True(handlers.Any(h => trace.Any(s => s.Source.Name == "Npgsql" && Spans.Descends(s, h, trace) && Sql(s).Contains("mt_quick_append_events", StringComparison.Ordinal))),
            $"No database call below the handler:\n{described}");
    }

    private static string Sql(Activity span) => span.GetTagItem("db.query.text") as string ?? "";
}

[Collection(TracingCollection.Name)]
public sealed class TracingTests(TracedServiceFixture service)
{
    [Fact]
    public async Task One_trace_runs_from_the_HTTP_request_through_the_outbox_to_the_handler_in_the_next_module_and_its_database_calls()
    {
        var (referralId, _) = await Accepting.Referral(service, action => service.WaitForMessages(action));

        TraceAssertions.RunsFromTheRequestThroughTheOutboxToTheHandlerAndItsDatabaseCalls(referralId, service.Spans);
    }
}

[Collection(TwoNodeTracingCollection.Name)]
public sealed class TwoNodeTracingTests(TwoRabbitMqNodes nodes)
{
    [Fact]
    public async Task On_the_broker_one_trace_runs_from_the_request_on_one_node_to_the_handler_on_the_other()
    {
        // The first node takes the request but no longer takes messages from the broker, so the second must handle it.
        var first = nodes.First.Services.GetRequiredService<IWolverineRuntime>();
        foreach (var listener in first.Endpoints.ActiveListeners().Where(l => l.Uri.Scheme == "rabbitmq").ToList())
            await listener.StopAndDrainAsync();
        var second = nodes.Second.Services.GetRequiredService<IWolverineRuntime>().Options.UniqueNodeId;

        ITrackedSession? session = null;
        var (referralId, _) = await Accepting.Referral(nodes.First, async action => session = await nodes.First.AppHost.TrackActivity()
            .AlsoTrack(nodes.Second.AppHost)
            .IncludeExternalTransports()
            .Timeout(TimeSpan.FromSeconds(60))
            .WaitForMessageToBeReceivedAt<Referrals.Contracts.ReferralAccepted>(nodes.Second.AppHost)
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(_ => action())));

        var handled = Assert.Single(session!.AllRecordsInOrder(), r =>
            r.MessageEventType == MessageEventType.MessageSucceeded && r.Message is Referrals.Contracts.ReferralAccepted a && a.ReferralId == referralId);
        Assert.Equal(second, handled.UniqueNodeId);
        TraceAssertions.RunsFromTheRequestThroughTheOutboxToTheHandlerAndItsDatabaseCalls(referralId, nodes.First.Spans, nodes.Second.Spans);
    }
}
