using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.Reliability.Client;

/// <summary>One status callback as a partner received it.</summary>
public sealed record Delivery(Guid CallbackId, Guid ReferralId, string Status, DateTimeOffset ReceivedAt, bool SignatureValid);

/// <summary>
/// A partner's callback endpoint on loopback: it counts what arrives, checks each signature, and answers 200, or the
/// status it is told to fail with (a partner whose endpoint is broken).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private int _refusals;

    private CallbackReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The partner's callback secret, for checking signatures (set once the partner is registered).</summary>
    public string? Secret { get; set; }

    /// <summary>When set, every callback is refused with this status and not counted as delivered.</summary>
    public int? FailWith { get; set; }

    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    public int Refusals => _refusals;

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        CallbackReceiver? receiver = null;
        app.MapPost("/callbacks", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            return receiver!.Receive(buffer.ToArray(), http.Request.Headers["X-WC-Callback-Id"].ToString(), http.Request.Headers["X-WC-Signature"].ToString());
        });
        await app.StartAsync();
        var address = app.Urls.First();
        receiver = new CallbackReceiver(app, new Uri(new Uri(address), "/callbacks"));
        return receiver;
    }

    private IResult Receive(byte[] body, string callbackId, string signature)
    {
        if (FailWith is { } status)
        {
            Interlocked.Increment(ref _refusals);
            return Results.StatusCode(status);
        }

        var json = JsonDocument.Parse(body).RootElement;
        var valid = Secret is not null &&
                    signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        _deliveries.Enqueue(new Delivery(Guid.Parse(callbackId), json.GetProperty("referralId").GetGuid(), json.GetProperty("status").GetString()!,
            DateTimeOffset.UtcNow, valid));
        return Results.Ok();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
