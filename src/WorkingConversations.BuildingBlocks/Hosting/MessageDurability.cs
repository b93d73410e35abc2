using System.Globalization;
using Microsoft.Extensions.Configuration;
using Wolverine;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// How soon the cluster notices a node that died (<c>Messaging:Nodes:HealthCheckSeconds</c>, 2;
/// <c>Messaging:Nodes:StaleNodeTimeoutSeconds</c>, 10), and how long a dead letter is kept
/// (<c>Messaging:DeadLetterRetentionDays</c>, 14).
/// </summary>
/// <remarks>
/// A node killed mid-work leaves messages in the durable inbox and outbox marked as its own, and may hold projection
/// agents. Nothing takes them over until the leader (the restarted process, when it was the only node) has seen the
/// dead node miss its heartbeats for <see cref="StaleAfter"/>, twice. Wolverine's defaults (a heartbeat every 10 s, stale
/// after a minute) made an accepted referral wait one to two minutes for its episode after a kill -9. A heartbeat every
/// 2 s and stale after 10 s bring that under 30 s (docs/reliability.md). A node that stalls longer than that without
/// dying (a long stop-the-world pause) is ejected as well; its work is then taken over and it rejoins with a new node
/// number, so the setting trades the time to recover from a crash against tolerance of stalls.
/// </remarks>
public sealed record MessageDurability(TimeSpan Heartbeat, TimeSpan StaleAfter, TimeSpan DeadLetterRetention)
{
    public const string HeartbeatKey = "Messaging:Nodes:HealthCheckSeconds";
    public const string StaleAfterKey = "Messaging:Nodes:StaleNodeTimeoutSeconds";

    public static MessageDurability From(IConfiguration configuration)
    {
        var settings = new MessageDurability(
            Seconds(configuration, HeartbeatKey, 2),
            Seconds(configuration, StaleAfterKey, 10),
            TimeSpan.FromDays(configuration.GetValue("Messaging:DeadLetterRetentionDays", 14.0)));
        if (settings.Heartbeat <= TimeSpan.Zero)
            throw new InvalidOperationException($"{HeartbeatKey} must be more than 0.");
        if (settings.StaleAfter < settings.Heartbeat * 3)
            throw new InvalidOperationException($"{StaleAfterKey} must be at least three heartbeats ({HeartbeatKey}), " +
                                                "or a node that is only slow would be taken for dead.");
        if (settings.DeadLetterRetention <= TimeSpan.Zero)
            throw new InvalidOperationException("Messaging:DeadLetterRetentionDays must be more than 0.");
        return settings;
    }

    public void ApplyTo(DurabilitySettings durability)
    {
        durability.HealthCheckPollingTime = Heartbeat;
        durability.StaleNodeTimeout = StaleAfter;
        // Once a dead node is ejected, its envelopes are released for recovery on the next pass.
        durability.NodeReassignmentPollingTime = Heartbeat;
        durability.FirstHealthCheckExecution = Heartbeat;
        // Dead letters hold whole messages, some about people's health: they are deleted after the retention period.
        durability.DeadLetterQueueExpirationEnabled = true;
        durability.DeadLetterQueueExpiration = DeadLetterRetention;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, double fallback) =>
        TimeSpan.FromSeconds(double.Parse(configuration[key] ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
}
