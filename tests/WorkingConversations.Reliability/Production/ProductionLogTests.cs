using System.Text.Json;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Production;

/// <summary>
/// The log as an operator reads it in Production: one JSON object a line, no line of its own for an ordinary request,
/// and the request's correlation id on the lines a request or the messages it caused do write.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class ProductionLogTests(ProductionCluster production)
{
    private static IEnumerable<JsonElement> Json(IEnumerable<string> lines) =>
        lines.Where(l => !l.StartsWith("----", StringComparison.Ordinal) && l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement);

    private static string Everything(JsonElement line) => line.GetRawText();

    [Fact]
    public async Task Ordinary_requests_write_no_line_and_the_lines_a_request_causes_carry_its_correlation_id()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("logs"), "logs");
        var load = new MixedLoad(service.Client, service.Actors, "logsx");
        await load.RunCaseAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = service.Nodes.LogLines.Count();

        // Ordinary work: a person's whole way through, reads, refusals.
        var @case = await load.RunCaseAsync();
        Assert.Null(@case.Stopped);
        await service.Client.SendOnceAsync(new Call(HttpMethod.Get, $"/api/v1/participants/{@case.ParticipantId}/history", service.Actors.CaseworkerKey));
        Assert.Equal(400, (await service.Client.SendOnceAsync(new Call(HttpMethod.Post, "/api/v1/referrals", service.Actors.PartnerKey, "{\"person\":1}"))).Status);
        Assert.Equal(404, (await service.Client.SendOnceAsync(new Call(HttpMethod.Get, $"/api/v1/referrals/{Guid.NewGuid()}", service.Actors.CaseworkerKey))).Status);
        Assert.Equal(401, (await service.Client.SendOnceAsync(new Call(HttpMethod.Get, "/api/v1/referrals", "wc_not-a-key"))).Status);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var during = service.Nodes.LogLines.Skip(before).ToArray();
        Assert.True(during.Length == 0, "Ordinary requests wrote:\n" + string.Join("\n", during));

        // A request that does write a line: the database away. Its line carries the caller's correlation id, no stack trace.
        var all = service.Nodes.LogLines.ToArray();
        Assert.All(all.Where(l => !l.StartsWith("----", StringComparison.Ordinal)), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
        production.Cluster.StopServer();
        try
        {
            var refused = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/api/v1/referrals", service.Actors.CaseworkerKey,
                Headers: new Dictionary<string, string> { ["X-Correlation-Id"] = "log-test-correlation" }));
            Assert.Equal(503, refused.Status);
            await Task.Delay(500);
            var warning = Json(service.Nodes.LogLines).Single(l => Everything(l).Contains("log-test-correlation", StringComparison.Ordinal) &&
                                                                   l.GetProperty("Category").GetString()!.EndsWith("ProblemExceptionHandler", StringComparison.Ordinal));
            Assert.Equal("Warning", warning.GetProperty("LogLevel").GetString());
            Assert.False(warning.TryGetProperty("Exception", out _));
            Assert.Contains(warning.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("CorrelationId", out var c) && c.GetString() == "log-test-correlation");
        }
        finally
        {
            await production.Cluster.StartServerAsync();
        }
    }

    [Fact]
    public async Task A_message_that_fails_for_good_is_one_error_line_with_the_correlation_id_of_the_request_that_caused_it()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("logs2"), "logs2");
        service.Receiver.FailWith = 410;
        var referral = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Post, "/api/v1/referrals", service.Actors.PartnerKey, Api.Json(new
        {
            partnerReference = "log-2", person = new { givenName = "Lo", familyName = "Gline", dateOfBirth = "1980-02-02" }, reason = "Logs", consent = new { given = true },
        }), Headers: new Dictionary<string, string> { ["X-Correlation-Id"] = "dead-letter-correlation" }));
        Assert.Equal(201, referral.Status);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement[] errors;
        while ((errors = Json(service.Nodes.LogLines).Where(l => l.GetProperty("LogLevel").GetString() == "Error").ToArray()).Length == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        var error = Assert.Single(errors);
        Assert.Contains("dead-letter-correlation", Everything(error), StringComparison.Ordinal);
        Assert.DoesNotContain("Gline", string.Join("\n", service.Nodes.LogLines), StringComparison.Ordinal);
    }
}
