using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WorkingConversations.BuildingBlocks.Security;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>The host with the outbound rule as it is everywhere but in the test rig: no calls to the service's own networks.</summary>
public sealed class OutboundRuleFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Outbound:AllowPrivateNetworks"] = "false",
        // http stays allowed here only so that a local receiver can show that nothing reaches it.
        ["Outbound:AllowHttp"] = "true",
    };
}

/// <summary>OWASP API7, server-side request forgery: partner callbacks and directory fetches.</summary>
public sealed class OutboundRuleTests(OutboundRuleFixture service) : IClassFixture<OutboundRuleFixture>
{
    [Theory]
    [InlineData("http://localhost:{port}/callbacks/", "loopback")]
    [InlineData("https://127.0.0.1/callbacks", "loopback")]
    [InlineData("https://[::1]/callbacks", "loopback")]
    [InlineData("https://10.20.30.40/callbacks", "internal")]
    [InlineData("https://192.168.1.10/callbacks", "internal")]
    [InlineData("https://169.254.169.254/latest/meta-data", "internal")]
    [InlineData("https://[::ffff:169.254.169.254]/latest/meta-data", "internal")]
    [InlineData("https://100.100.100.200/latest/meta-data", "internal")]
    public async Task A_callback_url_resolving_to_the_services_own_networks_is_refused_at_registration(string url, string kind)
    {
        using var listener = new CallbackListener(_ => 200);
        url = url.Replace("{port}", new Uri(listener.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var name = $"Partner {Guid.NewGuid():N}";
        var response = await service.Admin().PostAsJsonAsync("/api/v1/partners", new { name, contactEmail = "team@partner.example", callbackUrl = url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("callbackUrl")[0].GetString();
        Assert.Contains($"resolves to a{(kind == "internal" ? "n" : "")} {kind} address", message, StringComparison.Ordinal);
        Assert.DoesNotContain(name, await service.Admin().GetStringAsync("/api/v1/partners"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_callback_is_checked_again_when_it_is_sent_and_one_to_loopback_never_leaves()
    {
        using var listener = new CallbackListener(_ => 200);
        // Registered while the name pointed elsewhere (it does not resolve here at all); then it comes to point at this machine,
        // as a rebinding DNS name would. The stored URL is changed in the database, as the name's answer would change.
        var registered = await service.Admin().PostAsJsonAsync("/api/v1/partners",
            new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl = "https://callbacks.partner.invalid/in" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var partnerId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var rebound = listener.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("""
                update referrals.mt_doc_partner
                set data = jsonb_set(data, array[(select k from jsonb_object_keys(data) k where lower(k) = 'callbackurl')], to_jsonb(@url::text))
                where id = @id
                """, connection);
            update.Parameters.AddWithValue("url", rebound);
            update.Parameters.AddWithValue("id", partnerId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var (partner, _, _) = await service.ClientFor("partner", partnerId: partnerId);
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", People.Referral());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // The callback is not retried: it goes to the dead letters, for an administrator, and nothing reaches the receiver.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long dead;
        while ((dead = await DeadCallbacks()) == 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(dead > 0, "the refused callback is not among the dead letters");
        await Task.Delay(500);
        Assert.Empty(listener.Attempts);
    }

    [Theory]
    [InlineData("http://localhost:{port}/oruk")]
    [InlineData("https://169.254.169.254/oruk")]
    [InlineData("https://[fd00:ec2::254]/oruk")]
    public async Task A_directory_import_from_a_url_on_the_services_own_networks_is_refused_and_nothing_is_fetched(string url)
    {
        using var listener = new CallbackListener(_ => 200);
        url = url.Replace("{port}", new Uri(listener.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var response = await service.Admin().PostAsJsonAsync("/api/v1/directory/imports", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("url")[0].GetString();
        Assert.Contains("which the service may not call", message, StringComparison.Ordinal);
        Assert.Empty(listener.Attempts);
    }

    private async Task<long> DeadCallbacks()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            // The refusal reaches the handler as the HttpClient's HttpRequestException around the rule's own exception.
            "select count(*) from wolverine.wolverine_dead_letters where exception_type like '%OutboundAddressRefused%' or exception_message like '%may not call%'",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("Production", "http://partner.example/callbacks", "must use https.")]
    [InlineData("Staging", "http://partner.example/callbacks", "must use https.")]
    [InlineData("Production", "https://user:secret@partner.example/callbacks", "must not carry a user name or password.")]
    [InlineData("Production", "ftp://partner.example/callbacks", "must be an absolute https URL.")]
    [InlineData("Development", "http://partner.example/callbacks", null)]
    [InlineData("Production", "https://partner.example/callbacks", null)]
    public void A_callback_url_must_be_https_outside_Development(string environment, string url, string? problem)
    {
        var rule = new OutboundRule(OutboundSettings.From(new ConfigurationBuilder().Build(), new Environment(environment)));
        Assert.Equal(problem, rule.ShapeProblem(url));
        Assert.False(rule.Settings.AllowPrivateNetworks);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
