using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using WorkingConversations.BuildingBlocks.Security;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Fhir;
using WorkingConversations.Referrals.Partners;

namespace WorkingConversations.Referrals.Callbacks;

/// <summary>The body POSTed to a partner's <c>callbackUrl</c> (camelCase JSON).</summary>
internal sealed record PartnerCallback(Guid ReferralId, string PartnerReference, string Status, DateTimeOffset At, Guid CallbackId);

/// <summary>
/// Posts signed status callbacks. One long-lived client: callbacks go to few hosts, again and again. Every connection goes
/// through the outbound rule, so a callback URL whose name has come to resolve to an internal address is refused at the
/// send, not only at registration. The partner's answer is untrusted: only its status code is read, never its body.
/// </summary>
public sealed class PartnerCallbackSender(OutboundRule outbound) : IDisposable
{
    public const string SignatureHeader = "X-WC-Signature";
    public const string CallbackIdHeader = "X-WC-Callback-Id";

    /// <summary>A partner that takes longer than this is treated as failed and tried again later.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _client = new(outbound.Handler(TimeSpan.FromSeconds(10))) { Timeout = Timeout };

    public static byte[] Body(ReferralStatusChanged changed) =>
        JsonSerializer.SerializeToUtf8Bytes(new PartnerCallback(changed.ReferralId, changed.PartnerReference, changed.Status, changed.At, changed.CallbackId),
            JsonSerializerOptions.Web);

    /// <summary>Pure: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the raw body, keyed with the UTF-8 bytes of the partner's secret.</summary>
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Throws <see cref="HttpRequestException"/> on anything but a 2xx, so that the message is retried.</summary>
    public Task SendAsync(string url, string secret, ReferralStatusChanged changed, CancellationToken ct) =>
        SendAsync(url, secret, changed, Body(changed), "application/json", ct);

    /// <summary>Posts <paramref name="body"/>, signed over its raw bytes; the same signature whatever the format.</summary>
    public async Task SendAsync(string url, string secret, ReferralStatusChanged changed, byte[] body, string mediaType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(body, secret));
        request.Headers.TryAddWithoutValidation(CallbackIdHeader, changed.CallbackId.ToString());
        if (outbound.ShapeProblem(url) is { } problem) throw new OutboundAddressRefusedException($"The partner's callback URL {problem}");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The partner's callback URL answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>
/// Sends each status change to the partner's callback URL. It runs from the durable local queue, never in the request
/// that made the change, so a slow or dead partner delays only its own callbacks.
/// </summary>
public static class PartnerCallbackHandler
{
    /// <summary>
    /// A partner that refuses the callback for good (a 4xx other than 408 and 429: the URL is gone or wrong) sends it
    /// straight to dead letters, where an administrator can replay it once the partner has mended their endpoint. Other
    /// failures get quick retries for a blip, then back-off for about two days, then dead letters too.
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        // An address the outbound rule refuses stays refused: no retry, straight to dead letters for an administrator.
        chain.OnException<OutboundAddressRefusedException>().Or<HttpRequestException>(OutboundRule.Refused).MoveToErrorQueue();
        chain.OnException<HttpRequestException>(IsRefusedForGood).MoveToErrorQueue();
        chain.OnException<HttpRequestException>().Or<TaskCanceledException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15),
                TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(24))
            .Then.MoveToErrorQueue();
    }

    /// <summary>Pure: the partner's answer says sending the same callback again will not help until they change something.</summary>
    public static bool IsRefusedForGood(HttpRequestException e) =>
        e.StatusCode is { } status && (int)status is >= 400 and < 500 && status is not (System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests);

    public static async Task Handle(ReferralStatusChanged changed, IDocumentSession session, PartnerCallbackSender sender, CancellationToken ct)
    {
        var partner = await session.LoadAsync<Partner>(changed.PartnerId, ct);
        if (partner is not { CallbackUrl: { } url, CallbackSecret: { } secret }) return;
        if (partner.CallbackFormat == CallbackFormats.Fhir)
        {
            var receipt = await session.Query<FhirMessageReceipt>().FirstOrDefaultAsync(r => r.ReferralId == changed.ReferralId, ct);
            await sender.SendAsync(url, secret, changed, FhirCallbacks.Body(changed, receipt), FhirJson.MediaType, ct);
            return;
        }

        await sender.SendAsync(url, secret, changed, ct);
    }
}
