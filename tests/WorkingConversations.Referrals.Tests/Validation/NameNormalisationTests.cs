using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class NameNormalisationTests
{
    [Theory]
    [InlineData("  Séan  O'Brien ", "sean obrien")]
    [InlineData("O'Brien", "OBrien")]
    [InlineData("O'Brien", "o brien")]
    [InlineData("O\u2019Brien", "O'Brien")]      // typographic apostrophe
    [InlineData("O\u02BCBrien", "O'Brien")]      // modifier letter apostrophe
    [InlineData("Smith-Jones", "Smith Jones")]
    [InlineData("Smith\u2013Jones", "smithjones")] // en dash
    [InlineData("Zoë", "ZOE")]
    [InlineData("Zoe\u0308", "Zoë")]             // decomposed and precomposed diaeresis
    [InlineData("Łukasz", "Lukasz")]
    [InlineData("Strauß", "STRAUSS")]
    [InlineData("Øyvind", "oyvind")]
    [InlineData("François", "FRANCOIS")]
    [InlineData("Nguyễn", "nguyen")]
    [InlineData("İlker", "ilker")]
    [InlineData("\uFF33\uFF41\uFF4D", "Sam")]    // full-width letters
    [InlineData("St. John", "St John")]
    [InlineData("Sam \U0001F600", "sam")]        // emoji are not part of a name
    [InlineData("Sam\tJones", "Sam Jones")]
    public void Spelling_variants_of_a_name_match(string a, string b) =>
        Assert.Equal(ReferralRules.NormaliseName(a), ReferralRules.NormaliseName(b));

    [Theory]
    [InlineData("Sean", "Shaun")]
    [InlineData("Zoë", "Zoey")]
    [InlineData("Jon", "John")]
    [InlineData("李", "王")]
    public void Different_names_do_not_match(string a, string b) =>
        Assert.NotEqual(ReferralRules.NormaliseName(a), ReferralRules.NormaliseName(b));

    [Theory]
    [InlineData("  Séan  O'Brien ", "seanobrien")]
    [InlineData("Mary-Ann", "maryann")]
    [InlineData("李", "李")]
    [InlineData("김민준", "김민준")]                // Hangul is recomposed after decomposition
    [InlineData("Ζωή", "ζωη")]
    [InlineData("'-. ", "")]
    public void Gives_the_expected_key_text(string name, string expected) =>
        Assert.Equal(expected, ReferralRules.NormaliseName(name));

    [Fact]
    public void Does_not_throw_on_a_lone_surrogate() =>
        Assert.Equal("sam", ReferralRules.NormaliseName("Sam\uD800"));
}
