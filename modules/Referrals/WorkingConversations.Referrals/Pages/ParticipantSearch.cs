using Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Referrals.Identity;
using WorkingConversations.Referrals.PostingReferral;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Pages;

/// <summary>
/// A caseworker's search for a participant: by NHS number, by name and date of birth, or by a referral's id. The identity
/// is encrypted at rest, so a search looks the person up by the same keyed hashes intake stores; and what was searched for
/// is audited as its canonical text (<see cref="Canonical"/>), which the read audit keeps only as a keyed hash.
/// </summary>
internal sealed record ParticipantSearch(Validation Validation, string? Canonical, string? NhsKey, string? NameKey, Guid? ReferralId)
{
    /// <summary>Pure: the search the form asks for; null when nothing was entered (the page is only being opened).</summary>
    public static ParticipantSearch? Read(PostedForm query, byte[] key, DateOnly today)
    {
        var nhs = query.Text("nhsNumber");
        var given = query.Text("givenName");
        var family = query.Text("familyName");
        var dob = query.Date("dateOfBirth", "dateOfBirth");
        var referral = query.Text("referralId");
        var v = query.With(new Validation());
        var ways = new[] { nhs is not null, given is not null || family is not null || dob is not null || query.Problems.Errors.ContainsKey("dateOfBirth"), referral is not null }
            .Count(w => w);
        if (ways == 0 && query.Text("search") is null) return null;
        if (ways == 0) v.Add("search", "needs an NHS number, a name and date of birth, or a referral id.");
        if (ways > 1) v.Add("search", "takes one of an NHS number, a name and date of birth, or a referral id, not more.");
        if (!v.IsValid) return new ParticipantSearch(v, null, null, null, null);

        if (nhs is not null)
        {
            if (!ReferralRules.IsValidNhsNumber(nhs)) v.Add("nhsNumber", "must be 10 digits that pass the NHS number check, like 943 476 5919.");
            return v.IsValid
                ? new ParticipantSearch(v, "nhs-number:" + ReferralRules.NormaliseNhsNumber(nhs), ReferralRules.NhsNumberKey(nhs, key), null, null)
                : new ParticipantSearch(v, null, null, null, null);
        }

        if (referral is not null)
        {
            if (!Guid.TryParse(referral, out var id)) v.Add("referralId", "must be a referral id like 0193a3c2-8f4e-7b1a-9c3d-2e5f6a7b8c9d.");
            return v.IsValid ? new ParticipantSearch(v, "referral:" + id, null, null, id) : new ParticipantSearch(v, null, null, null, null);
        }

        if (given is null) v.Add("givenName", "is required with the family name and date of birth.");
        if (family is null) v.Add("familyName", "is required with the given name and date of birth.");
        if (dob is null && !v.Errors.ContainsKey("dateOfBirth")) v.Add("dateOfBirth", "is required with the names.");
        if (dob > today) v.Add("dateOfBirth", "must be in the past.");
        var nameKey = v.IsValid ? ReferralRules.NameAndBirthKey(given!, family!, dob!.Value, key) : null;
        if (v.IsValid && nameKey is null) v.Add("givenName", "must have a letter in it.");
        return v.IsValid
            ? new ParticipantSearch(v, $"name-and-birth:{ReferralRules.NormaliseName(given!)}|{ReferralRules.NormaliseName(family!)}|{dob:yyyy-MM-dd}", null, nameKey, null)
            : new ParticipantSearch(v, null, null, null, null);
    }

    public static async Task<IReadOnlyList<Guid>> Run(IQuerySession session, ParticipantSearch search, CancellationToken ct)
    {
        if (search.ReferralId is { } referral)
            return await session.LoadAsync<ReferralView>(referral, ct) is { } view ? [view.ParticipantId] : [];
        if (search.NhsKey is { } nhs)
            return await session.Query<ParticipantIdentity>().Where(p => p.NhsKey == nhs).Select(p => p.Id).ToListAsync(ct);
        var name = search.NameKey;
        return await session.Query<ParticipantIdentity>().Where(p => p.SearchKey == name).Select(p => p.Id).ToListAsync(ct);
    }
}
