using System.Diagnostics;
using Npgsql;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Checks;

/// <summary>
/// The effects that writes acknowledged up to some moment must have downstream: the episode each acceptance opens (a
/// message to Conversations), the concern each risky questionnaire raises (a message), each partner callback (a
/// message to the partner), and the daemon's outcome rows (projected up to the newest event of that moment).
/// </summary>
public sealed record Expectation(Guid[] Opened, Guid[] Concerns, (Guid ReferralId, string Status)[] Callbacks, long NewestEvent)
{
    public int Count => Opened.Length + Concerns.Length + Callbacks.Length + 1;
}

public sealed class Downstream(Store store, CallbackReceiver receiver)
{
    public async Task<Expectation> ExpectedNowAsync(IReadOnlyList<Case> cases) =>
        new(cases.Where(c => c.Accepted).Select(c => c.ParticipantId!.Value).ToArray(),
            cases.Where(c => c.Risky && c.QuestionnaireId is not null).Select(c => c.QuestionnaireId!.Value).ToArray(),
            cases.SelectMany(c => c.ExpectedCallbacks().Select(s => (c.ReferralId!.Value, s))).ToArray(),
            await store.NewestEventAsync());

    /// <summary>What of the expectation is not done yet; empty when it all is.</summary>
    public async Task<IReadOnlyList<string>> OutstandingAsync(Expectation expected)
    {
        var outstanding = new List<string>();
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();

        await using (var opened = new NpgsqlCommand(
                         "select count(distinct stream_id) from events.mt_events where type = 'episode-opened' and stream_id = any(@ids)", connection))
        {
            opened.Parameters.AddWithValue("ids", expected.Opened);
            var count = (long)(await opened.ExecuteScalarAsync())!;
            if (count < expected.Opened.Length) outstanding.Add($"{expected.Opened.Length - count} episodes not opened");
        }

        await using (var concerns = new NpgsqlCommand(
                         "select count(distinct data->>'SourceId') from events.mt_events where type = 'safeguarding-concern-raised' and (data->>'SourceId')::uuid = any(@ids)",
                         connection))
        {
            concerns.Parameters.AddWithValue("ids", expected.Concerns);
            var count = (long)(await concerns.ExecuteScalarAsync())!;
            if (count < expected.Concerns.Length) outstanding.Add($"{expected.Concerns.Length - count} concerns not raised");
        }

        var received = receiver.Deliveries.Select(d => (d.ReferralId, d.Status)).ToHashSet();
        var notCalledBack = expected.Callbacks.Count(c => !received.Contains(c));
        if (notCalledBack > 0) outstanding.Add($"{notCalledBack} callbacks not received");

        var positions = await store.ProjectionPositionsAsync();
        var behind = positions.Where(p => p.Value < expected.NewestEvent).Select(p => p.Key).ToArray();
        if (positions.Count == 0 || behind.Length > 0) outstanding.Add($"projections behind: {(positions.Count == 0 ? "none started" : string.Join(", ", behind))}");
        return outstanding;
    }

    /// <summary>Waits until the expectation is met; the time it took, or null with what was still outstanding.</summary>
    public async Task<(TimeSpan? Took, IReadOnlyList<string> Outstanding)> WaitAsync(Expectation expected, TimeSpan timeout, TimeSpan? alreadyWaited = null)
    {
        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<string> outstanding = [];
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                outstanding = await OutstandingAsync(expected);
                if (outstanding.Count == 0) return (stopwatch.Elapsed + (alreadyWaited ?? TimeSpan.Zero), outstanding);
            }
            catch (NpgsqlException e)
            {
                outstanding = [$"the database did not answer: {e.Message}"];
            }

            await Task.Delay(100);
        }

        return (null, outstanding);
    }
}
