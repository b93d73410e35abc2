using System.Globalization;

namespace WorkingConversations.Host.Demo;

/// <summary>One step of the demo: an API call a user would make, on a simulated day, by a role.</summary>
public sealed record DemoStep(int Day, int Participant, int Order, string Role, string Kind, Func<DemoContext, Task> Run);

/// <summary>
/// Generates realistic journeys from a seed: the same seed gives the same people, referrals, conversations, scores and
/// endings. Each participant draws from its own generator (seeded from the demo seed and its number), so the data do
/// not depend on how many run at once.
/// </summary>
public static class DemoScenario
{
    public const int Days = 540;

    private static readonly string[] GivenNames = ["Sam", "Alex", "Jordan", "Chris", "Priya", "Aisha", "Tom", "Grace", "Liam", "Mia", "Kwame", "Zoë", "Łukasz", "Siobhán", "Mohammed", "Ellie", "Noah", "Ruby", "Femi", "Hannah"];
    private static readonly string[] FamilyNames = ["Jones", "Smith", "Williams", "Brown", "Taylor", "Davies", "Evans", "Khan", "Okafor", "Murphy", "O'Brien", "Nowak", "Patel", "Hughes", "Roberts", "Walker"];
    private static readonly string[] Postcodes = ["L8 1XY", "L1 8JQ", "L4 0TH", "L6 5HY", "L7 8XP", "L13 2BE", "L15 4LL", "L17 6AD", "L20 3NJ", "L36 9GA", "CH41 5LH", "WA10 1PG"];
    private static readonly string[] Reasons = ["Low mood since losing work", "Feeling isolated after moving to the area", "Worry about money and housing", "Stress caring for a parent", "Struggling since a bereavement", "Anxious about going out"];

    public static Random RandomFor(int seed, int participant) => new(unchecked(seed * 1_000_003 + participant * 7919 + 17));

    /// <summary>A valid NHS number (modulus 11) from the generator.</summary>
    public static string NhsNumber(Random random)
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(_ => random.Next(10)).ToArray();
            var sum = digits.Select((d, i) => d * (10 - i)).Sum();
            var check = 11 - sum % 11;
            if (check == 10) continue;
            if (check == 11) check = 0;
            if (digits.All(d => d == digits[0]) && check == digits[0]) continue;
            return string.Concat(digits.Select(d => d.ToString(CultureInfo.InvariantCulture))) + check.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static IEnumerable<DemoStep> Participant(int seed, int n, int partners)
    {
        var random = RandomFor(seed, n);
        var day = random.Next(0, Days - 30);
        var partner = random.Next(partners);
        var person = new
        {
            givenName = GivenNames[random.Next(GivenNames.Length)],
            familyName = FamilyNames[random.Next(FamilyNames.Length)] + (n % 7 == 0 ? "-" + FamilyNames[random.Next(FamilyNames.Length)] : ""),
            dateOfBirth = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 57)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            postcode = Postcodes[random.Next(Postcodes.Length)],
            nhsNumber = random.NextDouble() < 0.7 ? NhsNumber(random) : null,
        };
        var reason = Reasons[random.Next(Reasons.Length)];
        var order = 0;
        yield return new DemoStep(day, n, order++, "partner", "referral", c => c.Refer(n, partner, person, reason));

        var triage = random.NextDouble();
        var triageDay = Math.Min(Days, day + 1 + random.Next(10));
        if (triage < 0.08)
        {
            yield return new DemoStep(triageDay, n, order++, "caseworker", "decline", c => c.Triage(n, "decline", new { reason = "Needs specialist support", signpostedTo = "Community mental health team" }));
            yield break;
        }

        if (triage < 0.12)
        {
            yield return new DemoStep(triageDay, n, order++, "partner", "withdraw", c => c.Triage(n, "withdraw", new { reason = "The person chose another service" }));
            yield break;
        }

        if (triage < 0.22)
        {
            yield return new DemoStep(triageDay, n, order++, "caseworker", "waitlist", c => c.Triage(n, "waitlist", new { reason = "No practitioner free this week" }));
            triageDay = Math.Min(Days, triageDay + 7 + random.Next(21));
        }

        yield return new DemoStep(triageDay, n, order++, "caseworker", "accept", c => c.Triage(n, "accept", new { }));
        var start = triageDay + 1;
        yield return new DemoStep(start, n, order++, "caseworker", "assign", c => c.Assign(n));

        // Trajectories: most improve, some do not, a few get worse; the starting severity varies.
        var phq = random.Next(4, 24);
        var gad = random.Next(3, 20);
        var kind = random.NextDouble();
        var drift = kind < 0.55 ? -random.Next(2, 4) : kind < 0.9 ? random.Next(-1, 2) : random.Next(1, 3);
        var sessions = 1 + random.Next(8);
        var disengage = random.NextDouble() < 0.2;
        // Copied now: the session loop below moves phq and gad on, and the step runs later.
        var (startPhq, startGad, startSalt) = (phq, gad, random.Next(1000));
        yield return new DemoStep(start, n, order++, "practitioner", "questionnaires", c => c.Questionnaires(n, "start", startPhq, startGad, startSalt));
        yield return new DemoStep(start, n, order++, "practitioner", "circumstances", c => c.Circumstances(n, "start", n % 3));
        var held = 0;
        var lastDay = start;
        for (var s = 0; s < sessions; s++)
        {
            var when = Math.Min(Days, start + 2 + s * 7 + random.Next(3));
            lastDay = when;
            var attended = random.NextDouble() < 0.85;
            var scale = Math.Clamp(3 + s + random.Next(-1, 2), 0, 10);
            var conversation = s;
            yield return new DemoStep(when, n, order++, "practitioner", "conversation", c => c.Conversation(n, conversation, attended, scale));
            if (!attended) continue;
            held++;
            phq = Math.Clamp(phq + drift + random.Next(-1, 2), 0, 27);
            gad = Math.Clamp(gad + drift + random.Next(-1, 2), 0, 21);
            var (p, g, salt) = (phq, gad, random.Next(1000));
            yield return new DemoStep(when, n, order++, "practitioner", "questionnaires", c => c.Questionnaires(n, "session", p, g, salt));
        }

        var endDay = Math.Min(Days, lastDay + 1);
        var endReason = disengage ? "disengaged" : held >= 2 ? "goals-reached" : "other";
        yield return new DemoStep(endDay, n, order++, "practitioner", "circumstances", c => c.Circumstances(n, "end", (n + 1) % 3));
        yield return new DemoStep(endDay, n, order++, "practitioner", "end", c => c.End(n, endReason));

        // Follow-ups at 1, 3, 6 and 12 months while they fall inside the simulated period; some relapse.
        var relapses = random.NextDouble() < 0.3;
        foreach (var months in new[] { 1, 3, 6, 12 })
        {
            var when = endDay + months * 30;
            if (when > Days || random.NextDouble() < 0.15) continue;
            var p = Math.Clamp(relapses && months >= 3 ? phq + 7 : phq + random.Next(-2, 2), 0, 27);
            var g = Math.Clamp(relapses && months >= 3 ? gad + 5 : gad + random.Next(-2, 2), 0, 21);
            var salt = random.Next(1000);
            yield return new DemoStep(when, n, order++, "caseworker", "follow-up", c => c.Questionnaires(n, "follow-up", p, g, salt));
        }
    }

    /// <summary>
    /// Answers summing to <paramref name="total"/>. For PHQ-9 the last item (thoughts of self-harm) stays 0 unless the
    /// other eight are full, so only the most severe scores raise a safeguarding concern.
    /// </summary>
    public static int[] Answers(int items, int max, int total, int salt, bool keepLastItemLow = false)
    {
        var answers = new int[items];
        if (keepLastItemLow)
        {
            var first = Answers(items - 1, max, Math.Min(total, (items - 1) * max), salt);
            return [.. first, Math.Max(0, total - (items - 1) * max)];
        }

        var remaining = total;
        for (var i = 0; remaining > 0 && i < items * max; i++)
        {
            var item = (i + salt) % items;
            if (answers[item] < max) { answers[item]++; remaining--; }
        }

        return answers;
    }
}
