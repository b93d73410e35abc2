using System.Security.Cryptography;
using System.Text;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class PersonMatchKeysTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateOnly Born = new(1990, 4, 1);

    [Fact]
    public void Spelling_variants_of_the_same_person_give_the_same_keys()
    {
        var a = ReferralRules.PersonMatchKeys("Séan", "O'Brien", Born, "L8 1XY", "943 476 5919", Key);
        var b = ReferralRules.PersonMatchKeys("sean", "o brien", Born, "l81xy", "9434765919", Key);
        Assert.Equal(a, b);
        Assert.NotNull(a.NhsNumberKey);
        Assert.NotNull(a.DemographicKey);
    }

    [Fact]
    public void Keys_are_lower_case_hex_of_a_sha_256_hmac_and_do_not_contain_the_data()
    {
        var keys = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", "9434765919", Key);
        Assert.Matches("^[0-9a-f]{64}$", keys.NhsNumberKey!);
        Assert.Matches("^[0-9a-f]{64}$", keys.DemographicKey!);
        Assert.NotEqual(keys.NhsNumberKey, keys.DemographicKey);
        Assert.DoesNotContain("9434765919", keys.NhsNumberKey!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hashed_material_is_stable_because_stored_keys_depend_on_it()
    {
        var keys = ReferralRules.PersonMatchKeys("  Séan ", "O'Brien", Born, "l8 1xy", "943 476 5919", Key);
        Assert.Equal(Hmac("nhs-number:v1:9434765919"), keys.NhsNumberKey);
        Assert.Equal(Hmac("demographic:v1:sean|obrien|1990-04-01|L81XY"), keys.DemographicKey);
    }

    [Fact]
    public void A_different_secret_gives_different_keys()
    {
        var other = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();
        var a = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", "9434765919", Key);
        var b = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", "9434765919", other);
        Assert.NotEqual(a.NhsNumberKey, b.NhsNumberKey);
        Assert.NotEqual(a.DemographicKey, b.DemographicKey);
    }

    [Fact]
    public void Any_difference_in_name_birth_date_or_postcode_changes_the_demographic_key()
    {
        var baseline = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", null, Key).DemographicKey;
        Assert.NotEqual(baseline, ReferralRules.PersonMatchKeys("Sami", "Jones", Born, "L8 1XY", null, Key).DemographicKey);
        Assert.NotEqual(baseline, ReferralRules.PersonMatchKeys("Sam", "Jone", Born, "L8 1XY", null, Key).DemographicKey);
        Assert.NotEqual(baseline, ReferralRules.PersonMatchKeys("Sam", "Jones", Born.AddDays(1), "L8 1XY", null, Key).DemographicKey);
        Assert.NotEqual(baseline, ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XZ", null, Key).DemographicKey);
        // The given and family name are separate fields: moving letters between them is a different person.
        Assert.NotEqual(baseline, ReferralRules.PersonMatchKeys("Samj", "ones", Born, "L8 1XY", null, Key).DemographicKey);
    }

    [Fact]
    public void Without_an_nhs_number_there_is_no_nhs_key_and_without_a_postcode_no_demographic_key()
    {
        var noNhs = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", null, Key);
        Assert.Null(noNhs.NhsNumberKey);
        Assert.NotNull(noNhs.DemographicKey);

        var noPostcode = ReferralRules.PersonMatchKeys("Sam", "Jones", Born, null, "9434765919", Key);
        Assert.NotNull(noPostcode.NhsNumberKey);
        Assert.Null(noPostcode.DemographicKey);
    }

    [Fact]
    public void Refuses_a_short_secret() =>
        Assert.Throws<ArgumentException>(() => ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "L8 1XY", null, new byte[31]));

    [Fact]
    public void Refuses_unvalidated_input()
    {
        Assert.Throws<ArgumentException>(() => ReferralRules.PersonMatchKeys("Sam", "Jones", Born, "12345", null, Key));
        Assert.Throws<ArgumentException>(() => ReferralRules.PersonMatchKeys("Sam", "Jones", Born, null, "9434765918", Key));
        Assert.Throws<ArgumentException>(() => ReferralRules.PersonMatchKeys("-", "Jones", Born, "L8 1XY", null, Key));
    }

    private static string Hmac(string material) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(material)));
}
