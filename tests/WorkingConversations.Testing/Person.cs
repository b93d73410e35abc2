namespace WorkingConversations.Testing;

/// <summary>A person as a partner refers them. Every test person is someone new to the service, so tests never match each other's people.</summary>
public sealed record Person(string GivenName, string FamilyName, string DateOfBirth, string Postcode, string? Email = null, string? Phone = null, string? NhsNumber = null)
{
    /// <summary>Someone new, with a unique family name: name, date of birth and postcode are what duplicate-person detection matches on.</summary>
    public static Person Unique(string dateOfBirth = "1990-04-01") =>
        new("Sam", "Cohort" + Letters(12), dateOfBirth, "L8 1XY");

    /// <summary>Someone new whose every identifying string is unique to the test, so that a database dump can be searched for it.</summary>
    public static Person Distinctive()
    {
        var letters = Letters(10);
        return new Person("Gwen" + letters, "Quill" + letters, $"19{Random.Shared.Next(50, 99)}-0{Random.Shared.Next(1, 9)}-1{Random.Shared.Next(1, 9)}",
            "EH99 1SP", $"gwen.{letters}@example.org", $"07700 9{Random.Shared.Next(10000, 99999)}", ValidNhsNumber());
    }

    public string[] IdentifyingStrings => [GivenName, FamilyName, DateOfBirth, .. new[] { NhsNumber, Email, Phone }.OfType<string>()];

    /// <summary>The referral body's person.</summary>
    public object Body => new { givenName = GivenName, familyName = FamilyName, dateOfBirth = DateOfBirth, postcode = Postcode, nhsNumber = NhsNumber, email = Email, phone = Phone };

    private static string Letters(int count) => new([.. Guid.NewGuid().ToString("N").Take(count).Select(c => (char)('a' + c % 26))]);

    /// <summary>A random ten-digit number that passes the NHS modulus-11 check.</summary>
    private static string ValidNhsNumber()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(i => i == 0 ? Random.Shared.Next(4, 10) : Random.Shared.Next(0, 10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * (10 - i)).Sum() % 11;
            if (check == 11) check = 0;
            if (check == 10) continue;
            return string.Concat(digits) + check;
        }
    }
}
