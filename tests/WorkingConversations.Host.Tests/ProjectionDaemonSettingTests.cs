using System.Net;
using System.Net.Http.Json;
using Wolverine.Marten.Distribution;
using Wolverine.Runtime.Agents;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

/// <summary>A node told not to run the projection daemon: it serves requests and offers none of the asynchronous projections.</summary>
public sealed class NodeWithoutDaemon : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Outcomes:EpisodeProjection"] = "Async",
        [HostSetup.RunDaemonKey] = "false",
    };
}

public sealed class ProjectionDaemonSettingTests(NodeWithoutDaemon node) : IClassFixture<NodeWithoutDaemon>
{
    [Fact]
    public async Task A_node_with_RunDaemon_false_takes_referrals_and_offers_no_asynchronous_projection_to_run()
    {
        Assert.DoesNotContain(node.Services.GetServices<IAgentFamily>(), f => f is EventSubscriptionAgentFamily);

        var (_, partner) = await node.NewPartner();
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = "NO-DAEMON-1",
            person = new { givenName = "Asha", familyName = "Nodaemon" + Guid.NewGuid().ToString("N")[..8], dateOfBirth = "1988-02-03", postcode = "L8 1XY" },
            reason = "Low mood",
            consent = new { given = true },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}

[Collection(HostCollection.Name)]
public sealed class ProjectionDaemonDefaultTests(ServiceFixture service)
{
    [Fact]
    public void By_default_a_node_offers_the_asynchronous_projections_to_run()
    {
        Assert.Contains(service.Services.GetServices<IAgentFamily>(), f => f is EventSubscriptionAgentFamily);
    }
}
