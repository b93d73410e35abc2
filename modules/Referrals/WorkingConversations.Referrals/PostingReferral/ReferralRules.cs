using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WorkingConversations.Referrals.PostingReferral;

/// <summary>The keys under which a person is looked up to find an earlier referral of the same person.</summary>
/// <param name="NhsNumberKey">Keyed hash of the NHS number, or null when none was given.</param>
/// <param name="DemographicKey">
/// Keyed hash of normalised given name, family name, date of birth and postcode, or null when no postcode was given.
/// </param>
internal sealed record PersonMatchKeys(string? NhsNumberKey, string? DemographicKey)
{
    /// <summary>Keyed hash of normalised given name, family name and date of birth: what a caseworker's search finds a person by.</summary>
    public string? NameAndBirthKey { get; init; }
}

/// <summary>
/// The pure rules of referral intake: the vocabularies a referral may use, and the checks and normal forms of the
/// person's identifiers. No I/O, no clock: callers pass the dates and keys in.
/// </summary>
internal static partial class ReferralRules
{
    /// <summary>
    /// The risk indicators a partner may flag, kebab-case and case-sensitive like every other enumerated API value.
    /// They steer triage (who looks at the referral first, and whether a conversation with a volunteer is the right
    /// offer at all); they are not a clinical risk assessment. Adding a value is backwards compatible; removing or
    /// renaming one is not, because partners send them.
    /// </summary>
    public static readonly IReadOnlyList<string> KnownRiskIndicators = Array.AsReadOnly(
    [
        "self-harm-history",       // has self-harmed in the past
        "self-harm-current",       // is self-harming now
        "suicidal-thoughts",       // has had thoughts of ending their life
        "suicide-attempt-history", // has attempted suicide in the past
        "harm-to-others",          // has harmed or threatened to harm someone else
        "domestic-abuse",          // is experiencing, or has recently experienced, domestic abuse
        "substance-misuse",        // harmful use of alcohol or drugs
        "safeguarding-child",      // a child in their life may be at risk
        "safeguarding-adult",      // they or another adult may be an adult at risk
        "recent-crisis",           // recent contact with crisis services, A&E or a mental health act assessment
    ]);

    /// <summary>How the person prefers to be contacted, case-sensitive.</summary>
    public static readonly IReadOnlyList<string> ContactPreferences = Array.AsReadOnly(
        ["phone", "email", "text", "letter", "in-person"]);

    /// <summary>The earliest date of birth accepted: anything earlier is a typing error, not a person.</summary>
    public static readonly DateOnly EarliestDateOfBirth = new(1900, 1, 1);

    /// <summary>The age from which a person may be referred (api.md: age 16 or over).</summary>
    public const int MinimumAge = 16;

    // HMAC-SHA256 keys shorter than the hash add nothing but weakness; refuse them rather than hash with them.
    private const int MinimumMatchKeyLength = 32;

    // ---------------------------------------------------------------- postcodes

    /// <summary>
    /// True for a UK postcode in the standard format (outward code A9, A99, AA9, AA99, A9A or AA9A, then 9AA, with the
    /// letter restrictions of each position), or the special GIR 0AA. Case and whitespace are ignored.
    /// </summary>
    public static bool IsValidUkPostcode(string postcode)
    {
        ArgumentNullException.ThrowIfNull(postcode);
        // The longest postcode has 7 characters; the bound keeps a pathological input from being copied whole.
        if (postcode.Length > 32) return false;
        return CompactPostcodePattern().IsMatch(Compact(postcode));
    }

    /// <summary>The canonical form of a valid postcode: upper case with one space before the inward code ("l81xy" gives "L8 1XY").</summary>
    /// <exception cref="ArgumentException">The postcode is not valid: validate it first.</exception>
    public static string NormalisePostcode(string postcode)
    {
        if (!IsValidUkPostcode(postcode)) throw new ArgumentException("Not a valid UK postcode.", nameof(postcode));
        var compact = Compact(postcode);
        return string.Concat(compact.AsSpan(0, compact.Length - 3), " ", compact.AsSpan(compact.Length - 3));
    }

    private static string Compact(string postcode)
    {
        var sb = new StringBuilder(postcode.Length);
        foreach (var c in postcode)
        {
            if (!char.IsWhiteSpace(c)) sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }

    // Outward code letters: first position never Q, V or X; second never I, J or Z; the third (A9A) and fourth (AA9A)
    // positions and the inward letters (never C, I, K, M, O or V) follow the Royal Mail rules. [0-9] and not \d, which
    // would also match non-ASCII digits.
    [GeneratedRegex("^(?:GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?|[0-9][A-HJKPS-UW])[0-9][ABD-HJLNP-UW-Z]{2})$",
        RegexOptions.CultureInvariant)]
    private static partial Regex CompactPostcodePattern();

    // ---------------------------------------------------------------- NHS numbers

    /// <summary>
    /// True for ten digits (spaces allowed anywhere, as people type "943 476 5919") whose last digit is the modulus-11
    /// check digit of the NHS Data Dictionary, and that are not one digit repeated ten times.
    /// </summary>
    public static bool IsValidNhsNumber(string nhsNumber) => CheckNhsNumber(nhsNumber) == NhsNumberCheck.Valid;

    /// <summary>The ten digits of a valid NHS number, without spaces.</summary>
    /// <exception cref="ArgumentException">The NHS number is not valid: validate it first.</exception>
    public static string NormaliseNhsNumber(string nhsNumber)
    {
        if (!IsValidNhsNumber(nhsNumber)) throw new ArgumentException("Not a valid NHS number.", nameof(nhsNumber));
        return nhsNumber.Replace(" ", "", StringComparison.Ordinal);
    }

    internal enum NhsNumberCheck { Valid, NotTenDigits, WrongCheckDigit, RepeatedDigit }

    internal static NhsNumberCheck CheckNhsNumber(string nhsNumber)
    {
        ArgumentNullException.ThrowIfNull(nhsNumber);
        if (nhsNumber.Length > 32) return NhsNumberCheck.NotTenDigits;
        var digits = nhsNumber.Replace(" ", "", StringComparison.Ordinal);
        // ASCII digits only: char.IsDigit would let Arabic-Indic or full-width digits through.
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit)) return NhsNumberCheck.NotTenDigits;

        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * (10 - i);
        var check = 11 - (sum % 11);
        if (check == 11) check = 0;
        // A check digit of 10 cannot be written: no NHS number is issued with it.
        if (check == 10 || check != digits[9] - '0') return NhsNumberCheck.WrongCheckDigit;

        // Every repeated digit (0000000000, 1111111111, ...) passes modulus 11, and such placeholders are what systems
        // type when the number is unknown. Accepting them would make unrelated people match on the NHS number key.
        if (digits.All(d => d == digits[0])) return NhsNumberCheck.RepeatedDigit;
        return NhsNumberCheck.Valid;
    }

    // ---------------------------------------------------------------- age

    /// <summary>
    /// Age in whole years on a date. Someone born on 29 February has their birthday on 1 March in other years, as in
    /// UK law. Negative when <paramref name="on"/> precedes the birth.
    /// </summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        if (on.Month < dateOfBirth.Month || (on.Month == dateOfBirth.Month && on.Day < dateOfBirth.Day)) age--;
        return age;
    }

    // ---------------------------------------------------------------- names

    /// <summary>
    /// The form of a name used to match people, never to display: compatibility-decomposed (NFKD), accents and other
    /// non-spacing marks dropped, lower-cased (invariant) with the letters that have no decomposition folded
    /// (ß to ss, Ł to l, Ø to o, Æ to ae, ...), and every character that is not a letter, digit or spacing mark
    /// removed: spaces, hyphens, apostrophes, full stops. So "  Séan  O'Brien ", "Sean OBrien", "sean o brien" and
    /// "SEAN O’BRIEN" all give "seanobrien", and "Smith-Jones" equals "Smith Jones". Word boundaries are dropped on
    /// purpose: systems disagree on whether O'Brien is O Brien or OBrien, and a match also needs the date of birth and
    /// postcode, so the few names told apart only by a space cost nothing.
    /// </summary>
    public static string NormaliseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // string.Normalize throws on a lone surrogate; a name is not worth an exception, so replace it first.
        var decomposed = WithoutLoneSurrogates(name).Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.NonSpacingMark || IsApostropheLikeModifier(rune)) continue;
            // Spacing marks are kept: in Indic scripts they are vowels, not decoration.
            if (!Rune.IsLetterOrDigit(rune) && category != UnicodeCategory.SpacingCombiningMark) continue;
            AppendFolded(sb, Rune.ToLowerInvariant(rune));
        }

        // Recompose what NFKD split and the filter kept (Hangul syllables, for one), so equal names give equal strings.
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    // U+02B9..U+02BF are modifier letters (category Lm) that people and keyboards use as apostrophes: O\u02BCBrien.
    private static bool IsApostropheLikeModifier(Rune rune) => rune.Value is >= 0x02B9 and <= 0x02BF;

    private static void AppendFolded(StringBuilder sb, Rune lower)
    {
        // Letters that NFKD does not decompose, folded to what an English-language system would have typed instead.
        var folded = lower.Value switch
        {
            'ß' => "ss",
            'ı' => "i",
            'ł' => "l",
            'ø' => "o",
            'đ' or 'ð' => "d",
            'ħ' => "h",
            'ŧ' => "t",
            'þ' => "th",
            'æ' => "ae",
            'œ' => "oe",
            'ς' => "σ",
            _ => null,
        };
        if (folded is null) sb.Append(lower.ToString());
        else sb.Append(folded);
    }

    private static string WithoutLoneSurrogates(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb?.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                sb ??= new StringBuilder(value, 0, i, value.Length);
                sb.Append('\uFFFD');
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? value;
    }

    // ---------------------------------------------------------------- duplicate-person matching

    /// <summary>
    /// The keys under which to look up an earlier referral of the same person: HMAC-SHA256 (lower-case hex) under a
    /// secret <paramref name="key"/>, so that the stored keys cannot be reversed by hashing every name, birth date and
    /// postcode, or all ten-digit NHS numbers, without that secret. Inputs are normalised first, so spelling variants
    /// the rules treat as equal give equal keys. Each key is domain-separated and versioned ("nhs-number:v1:",
    /// "demographic:v1:") so that the two can never collide and a change of normalisation can be rolled out.
    /// </summary>
    /// <remarks>
    /// There is no demographic key without a postcode: a name and date of birth alone are too weak to merge two
    /// people's journeys on, and a wrong merge shows one person's history to another's caseworker.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// A name has no letter or digit, the postcode or NHS number is not valid (validate the request first), or the key
    /// is shorter than 32 bytes.
    /// </exception>
    public static PersonMatchKeys PersonMatchKeys(
        string givenName, string familyName, DateOnly dateOfBirth, string? postcode, string? nhsNumber, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumMatchKeyLength)
        {
            throw new ArgumentException($"The match key must be at least {MinimumMatchKeyLength} bytes.", nameof(key));
        }

        var given = NormaliseName(givenName);
        var family = NormaliseName(familyName);
        if (given.Length == 0) throw new ArgumentException("The given name has no letters or digits.", nameof(givenName));
        if (family.Length == 0) throw new ArgumentException("The family name has no letters or digits.", nameof(familyName));

        var nhsKey = nhsNumber is null ? null : NhsNumberKey(nhsNumber, key);

        // Normalised names hold only letters, digits and marks, so '|' cannot occur inside a field.
        var demographicKey = postcode is null
            ? null
            : Hmac(key, string.Join('|', "demographic:v1:" + given, family,
                dateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                NormalisePostcode(postcode).Replace(" ", "", StringComparison.Ordinal)));

        return new PersonMatchKeys(nhsKey, demographicKey) { NameAndBirthKey = NameAndBirthKey(givenName, familyName, dateOfBirth, key) };
    }

    /// <summary>The NHS number's match key (a valid number only: validate first).</summary>
    public static string NhsNumberKey(string nhsNumber, byte[] key) => Hmac(key, "nhs-number:v1:" + NormaliseNhsNumber(nhsNumber));

    /// <summary>
    /// The key a search by name and date of birth looks a person up under. Never used to merge people (a name and a date of
    /// birth alone are too weak for that, see above): only to list the people a caseworker may be looking for.
    /// </summary>
    public static string? NameAndBirthKey(string givenName, string familyName, DateOnly dateOfBirth, byte[] key)
    {
        var given = NormaliseName(givenName);
        var family = NormaliseName(familyName);
        if (given.Length == 0 || family.Length == 0) return null;
        return Hmac(key, string.Join('|', "name-and-birth:v1:" + given, family, dateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    private static string Hmac(byte[] key, string material) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(material)));
}
