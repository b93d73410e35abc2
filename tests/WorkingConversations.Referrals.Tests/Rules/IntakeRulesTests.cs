using Microsoft.Extensions.Configuration;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Callbacks;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Triage;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Tests.Rules;

public sealed class TriageRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid ReferralId = Guid.CreateVersion7();

    private static ReferralsJourney Journey(string status, int? attachedTo = null) =>
        new(Guid.CreateVersion7(), 1, 1, ImmutableDictionary<Guid, ReferralState>.Empty.Add(ReferralId,
            new ReferralState(ReferralId, Guid.CreateVersion7(), 1, status, attachedTo)));

    [Theory]
    [InlineData("received", true, true, true, true)]
    [InlineData("waitlisted", true, true, false, true)]
    [InlineData("accepted", false, false, false, false)]
    [InlineData("declined", false, false, false, false)]
    [InlineData("withdrawn", false, false, false, false)]
    [InlineData("in-conversation", false, false, false, false)]
    [InlineData("ended", false, false, false, false)]
    public void Each_transition_is_allowed_only_from_the_statuses_it_names(string status, bool accept, bool decline, bool waitlist, bool withdraw)
    {
        var journey = Journey(status);
        Assert.Equal(accept, AcceptReferral.Decide(journey, ReferralId, Now).Result is not null);
        Assert.Equal(decline, DeclineReferral.Decide(journey, ReferralId, new DeclineReferralRequest { Reason = "r" }, Now).Result is not null);
        Assert.Equal(waitlist, WaitlistReferral.Decide(journey, ReferralId, null, Now).Result is not null);
        Assert.Equal(withdraw, WithdrawReferral.Decide(journey, ReferralId, new WithdrawReferralRequest { Reason = "r" }, Now).Result is not null);
    }

    [Fact]
    public void A_referral_attached_to_an_open_episode_can_be_declined_or_withdrawn_but_not_accepted_or_waitlisted()
    {
        var journey = Journey(ReferralStatuses.Received, attachedTo: 1);
        Assert.Null(AcceptReferral.Decide(journey, ReferralId, Now).Result);
        Assert.Null(WaitlistReferral.Decide(journey, ReferralId, null, Now).Result);
        Assert.NotNull(DeclineReferral.Decide(journey, ReferralId, new DeclineReferralRequest { Reason = "r" }, Now).Result);
        Assert.NotNull(WithdrawReferral.Decide(journey, ReferralId, new WithdrawReferralRequest { Reason = "r" }, Now).Result);
    }

    [Fact]
    public void Decline_needs_a_reason_and_bounds_signposting()
    {
        Assert.False(DeclineReferral.Validate(new DeclineReferralRequest { Reason = "" }).IsValid);
        Assert.False(DeclineReferral.Validate(new DeclineReferralRequest { Reason = "r", SignpostedTo = new string('x', 201) }).IsValid);
        Assert.True(DeclineReferral.Validate(new DeclineReferralRequest { Reason = "r", SignpostedTo = "GP" }).IsValid);
        Assert.True(WaitlistReferral.Validate(null).IsValid);
        Assert.False(WithdrawReferral.Validate(new WithdrawReferralRequest()).IsValid);
    }
}

public sealed class StatusChangeRulesTests
{
    private static ReferralView View(params StatusChange[] history) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "REF", 1, history[^1].Status, history[0].At, history[^1].At, false, [], history);

    [Fact]
    public void Only_the_conversation_that_moved_the_referral_on_is_a_status_change()
    {
        var at = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var view = View(new StatusChange("received", at, null), new StatusChange("accepted", at.AddHours(1), null),
            new StatusChange("in-conversation", at.AddDays(1), null));
        ConversationHeld Held(DateTimeOffset when) =>
            new(Guid.NewGuid(), view.ParticipantId, view.Id, 1, Guid.NewGuid(), "", [], 5, "", "", null, null, false, 45, when);

        Assert.Equal(("in-conversation", at.AddDays(1)), ReferralViewProjection.StatusChangeOf(Held(at.AddDays(1)), view));
        Assert.Null(ReferralViewProjection.StatusChangeOf(Held(at.AddDays(8)), view));
        Assert.Equal("declined", ReferralViewProjection.StatusChangeOf(new ReferralDeclined(view.Id, view.ParticipantId, view.PartnerId, 1, "r", null, at), view)?.Status);
    }

    [Fact]
    public void The_partner_view_drops_the_reason_an_episode_ended()
    {
        var at = DateTimeOffset.UnixEpoch;
        var view = View(new StatusChange("received", at, null), new StatusChange("ended", at, "goals-reached"));
        var partner = GetReferral.Present(view, new Actor(Roles.Partner, Guid.NewGuid(), "p", view.PartnerId)) as PartnerReferral;
        Assert.NotNull(partner);
        Assert.Null(partner.StatusHistory[^1].Reason);
        Assert.Null(GetReferral.Present(view, new Actor(Roles.Partner, Guid.NewGuid(), "p", Guid.NewGuid())));
    }
}

public sealed class ListAndCallbackRulesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(123456)]
    public void A_cursor_reads_back_as_the_offset_it_was_made_from(int offset) =>
        Assert.Equal(offset, ListCursor.Offset(ListCursor.ForOffset(offset)));

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("bzotMQ")]
    [InlineData("aGVsbG8")]
    public void A_cursor_the_list_did_not_give_out_is_refused(string cursor) => Assert.Null(ListCursor.Offset(cursor));

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_the_raw_body_with_the_partners_secret()
    {
        // RFC 4231 test case 2.
        var body = Encoding.UTF8.GetBytes("what do ya want for nothing?");
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", PartnerCallbackSender.Sign(body, "Jefe"));
    }

    [Fact]
    public void The_callback_body_has_the_fields_of_the_api_contract()
    {
        var changed = new ReferralStatusChanged(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "ABC-1", "accepted", DateTimeOffset.UnixEpoch, Guid.NewGuid());
        var json = System.Text.Json.JsonDocument.Parse(PartnerCallbackSender.Body(changed)).RootElement;
        Assert.Equal(["referralId", "partnerReference", "status", "at", "callbackId"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(json.TryGetProperty("participantId", out _));
    }
}

public sealed class IdempotencyKeyRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("order-2026-11-02T10:00:00Z/1", true)]
    [InlineData("", false)]
    [InlineData("clé", false)]
    [InlineData("tab\there", false)]
    public void A_key_is_1_to_255_printable_ascii_characters(string key, bool valid) => Assert.Equal(valid, IdempotencyKeys.IsValidKey(key));

    [Fact]
    public void Length_bounds_are_1_and_255() =>
        Assert.Equal((true, false), (IdempotencyKeys.IsValidKey(new string('k', 255)), IdempotencyKeys.IsValidKey(new string('k', 256))));

    [Fact]
    public void The_request_hash_changes_with_the_route_or_a_single_byte_of_the_body()
    {
        var body = Convert.ToHexStringLower(SHA256.HashData("{}"u8));
        var other = Convert.ToHexStringLower(SHA256.HashData("{ }"u8));
        Assert.Equal(IdempotencyKeys.RequestHash("POST", "/a", body), IdempotencyKeys.RequestHash("post", "/a", body));
        Assert.NotEqual(IdempotencyKeys.RequestHash("POST", "/a", body), IdempotencyKeys.RequestHash("POST", "/b", body));
        Assert.NotEqual(IdempotencyKeys.RequestHash("POST", "/a", body), IdempotencyKeys.RequestHash("POST", "/a", other));
    }

    [Fact]
    public void Keys_are_per_partner_and_otherwise_per_api_key()
    {
        var partner = Guid.NewGuid();
        Assert.Equal(IdempotencyKeys.RecordId(new Actor("partner", Guid.NewGuid(), "a", partner), "k"),
            IdempotencyKeys.RecordId(new Actor("partner", Guid.NewGuid(), "b", partner), "k"));
        Assert.NotEqual(IdempotencyKeys.RecordId(new Actor("caseworker", Guid.NewGuid(), "a"), "k"),
            IdempotencyKeys.RecordId(new Actor("caseworker", Guid.NewGuid(), "a"), "k"));
    }
}

public sealed class SettingsTests
{
    private static ReferralsSettings From(string? encryptionKey) =>
        ReferralsSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Referrals:IdentityEncryptionKey"] = encryptionKey }).Build());

    [Fact]
    public void The_identity_encryption_key_is_32_bytes_from_configuration_or_a_development_default()
    {
        var configured = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(configured, From(Convert.ToBase64String(configured)).IdentityEncryptionKey);
        Assert.Equal(32, From(null).IdentityEncryptionKey.Length);
        Assert.Throws<InvalidOperationException>(() => From(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
    }
}

public sealed class MatchKeySettingsTests
{
    private static ReferralsSettings WithMatchKey(string? matchKey) =>
        ReferralsSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Referrals:MatchKey"] = matchKey }).Build());

    [Fact]
    public void A_match_key_shorter_than_32_bytes_stops_the_host_at_start_up_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WithMatchKey(Convert.ToBase64String(new byte[16])));
        Assert.Contains("Referrals:MatchKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(32, WithMatchKey(Convert.ToBase64String(new byte[32])).MatchKey.Length);
        Assert.Equal(32, WithMatchKey(null).MatchKey.Length);
    }
}
