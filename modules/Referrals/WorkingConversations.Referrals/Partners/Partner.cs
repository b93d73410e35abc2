namespace WorkingConversations.Referrals.Partners;

/// <summary>
/// A partner organisation that refers people. The callback secret signs its status callbacks, which are sent in its
/// <see cref="CallbackFormat"/>: the JSON body of api.md, or FHIR <c>servicerequest-response</c> messages.
/// </summary>
internal sealed record Partner(Guid Id, string Name, string ContactEmail, string? CallbackUrl, string? CallbackSecret, DateTimeOffset RegisteredAt,
    string CallbackFormat = CallbackFormats.Json);

internal static class CallbackFormats
{
    public const string Json = "json";
    public const string Fhir = "fhir";
    public static readonly IReadOnlyCollection<string> All = [Json, Fhir];
}
