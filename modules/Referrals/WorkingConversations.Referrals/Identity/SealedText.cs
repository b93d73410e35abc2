using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkingConversations.Referrals.Identity;

/// <summary>
/// A piece of a person's identity that is encrypted at rest. In code and in API output (the subject access export) it
/// is plain text; only Marten's serializer, given <see cref="IdentitySealingConverter"/>, writes it sealed.
/// </summary>
[JsonConverter(typeof(PlainJsonConverter))]
internal sealed record SealedText(string Value)
{
    public override string ToString() => Value;

    public static SealedText? From(string? value) => value is null ? null : new SealedText(value);

    /// <summary>Outside the document store (API responses) the value is written as the plain string.</summary>
    public sealed class PlainJsonConverter : JsonConverter<SealedText>
    {
        public override SealedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, SealedText value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}

/// <summary>
/// AES-256-GCM for identity fields: <c>v1:</c> and base64 of a random 12-byte nonce, the ciphertext and the 16-byte
/// tag. A tampered or wrongly keyed value fails to open instead of reading as someone else's details.
/// </summary>
internal sealed class IdentityCipher(byte[] key)
{
    public const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Seal(string plain)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + plainBytes.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plainBytes, sealedBytes.AsSpan(NonceSize, plainBytes.Length), sealedBytes.AsSpan(NonceSize + plainBytes.Length));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Values stored before encryption was turned on have no prefix and are read as they are.</summary>
    public string Open(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal)) return stored;
        var sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        var cipherLength = sealedBytes.Length - NonceSize - TagSize;
        var plainBytes = new byte[cipherLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, cipherLength), sealedBytes.AsSpan(NonceSize + cipherLength), plainBytes);
        return Encoding.UTF8.GetString(plainBytes);
    }
}

/// <summary>Added to Marten's serializer only: identity fields are sealed on the way into the database and opened on the way out.</summary>
internal sealed class IdentitySealingConverter(IdentityCipher cipher) : JsonConverter<SealedText>
{
    public override SealedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(cipher.Open(reader.GetString()!));

    public override void Write(Utf8JsonWriter writer, SealedText value, JsonSerializerOptions options) => writer.WriteStringValue(cipher.Seal(value.Value));
}
