using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[Collection(ReferralsCollection.Name)]
public sealed class PersonDataTests(ServiceFixture service)
{
    [Fact]
    public async Task No_name_date_of_birth_postcode_nhs_number_or_contact_detail_appears_anywhere_in_the_event_table()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var familyName = People.FamilyName();
        var nhs = People.NhsNumber();
        var body = People.Referral(familyName: familyName, nhsNumber: nhs, givenName: "Zebedee", dateOfBirth: "1987-03-14", postcode: "SW1A 2AA");
        ((Dictionary<string, object?>)body["person"]!)["email"] = $"{familyName}@example.org";
        var created = await partner.Created(body);
        await caseworker.Send($"/api/v1/referrals/{created.Id()}/decline", new { reason = "Out of area", signpostedTo = "Local service" });
        await partner.Created(body);

        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select e::text from events.mt_events e where e.stream_id = @id", connection);
        command.Parameters.AddWithValue("id", created.Id("participantId"));
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }

        Assert.True(rows.Count >= 3, $"expected the participant's events, found {rows.Count}");
        var everything = string.Join("\n", rows);
        foreach (var personal in new[] { familyName, "Zebedee", "1987-03-14", "14/03/1987", "SW1A", "sw1a2aa", nhs, nhs[..3] + " " + nhs[3..6], "07700 900123", "@example.org" })
        {
            Assert.DoesNotContain(personal, everything, StringComparison.OrdinalIgnoreCase);
        }

        // And across the whole table, for every stream, not just this one.
        await using var all = new NpgsqlCommand("select count(*) from events.mt_events e where e::text ilike @name or e::text like @nhs", connection);
        all.Parameters.AddWithValue("name", "%" + familyName + "%");
        all.Parameters.AddWithValue("nhs", "%" + nhs + "%");
        Assert.Equal(0L, (long)(await all.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_same_nhs_number_joins_the_same_participant_attached_while_the_episode_is_open_and_as_a_new_episode_after_it_closed()
    {
        var (_, partner) = await service.NewPartner();
        var (_, otherPartner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var nhs = People.NhsNumber();

        var first = await partner.Created(People.Referral(nhsNumber: nhs));
        // Another partner, another spelling of the name: the NHS number is what matches.
        var whileOpen = await otherPartner.Created(People.Referral(nhsNumber: nhs, givenName: "Samuel", riskIndicators: ["suicidal-thoughts"]));

        Assert.Equal(first.Id("participantId"), whileOpen.Id("participantId"));
        var attached = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{whileOpen.Id()}");
        Assert.True(attached.GetProperty("attachedToOpenEpisode").GetBoolean());
        Assert.Equal(1, attached.GetProperty("episodeNumber").GetInt32());
        // The second partner's risk indicators reach the caseworker on the attached referral too.
        Assert.Equal(["suicidal-thoughts"], attached.GetProperty("riskIndicators").EnumerateArray().Select(r => r.GetString()!).ToArray());
        var (acceptStatus, problem) = await caseworker.Send($"/api/v1/referrals/{whileOpen.Id()}/accept", new { });
        Assert.Equal(409, acceptStatus);
        Assert.Equal("received", problem.Str("currentStatus"));

        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{first.Id()}/decline", new { reason = "Not right now" })).Status);
        var again = await partner.Created(People.Referral(nhsNumber: nhs));

        Assert.Equal(first.Id("participantId"), again.Id("participantId"));
        var next = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{again.Id()}");
        Assert.False(next.GetProperty("attachedToOpenEpisode").GetBoolean());
        Assert.Equal(2, next.GetProperty("episodeNumber").GetInt32());
    }

    [Fact]
    public async Task The_same_normalised_name_date_of_birth_and_postcode_without_an_nhs_number_is_the_same_person()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var family = People.FamilyName();

        var first = await partner.Created(People.Referral(familyName: family, givenName: "Séan", postcode: "L8 1XY"));
        await caseworker.Send($"/api/v1/referrals/{first.Id()}/withdraw", new { reason = "Changed their mind" });
        var second = await partner.Created(People.Referral(familyName: family.ToUpperInvariant(), givenName: "sean", postcode: "l81xy"));
        var differentBirthday = await partner.Created(People.Referral(familyName: family, givenName: "Séan", dateOfBirth: "1990-04-02"));

        Assert.Equal(first.Id("participantId"), second.Id("participantId"));
        Assert.NotEqual(first.Id("participantId"), differentBirthday.Id("participantId"));
        var view = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{second.Id()}");
        Assert.Equal(2, view.GetProperty("episodeNumber").GetInt32());
    }

    [Fact]
    public async Task Referrals_of_the_same_new_person_sent_at_the_same_moment_never_make_two_participants()
    {
        var (_, partner) = await service.NewPartner();
        var nhs = People.NhsNumber();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => partner.PostAsJsonAsync("/api/v1/referrals", People.Referral(nhsNumber: nhs))));

        Assert.All(responses, r => Assert.True(r.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        // Each one refused lost a race, and says that sending it again is safe.
        foreach (var refused in responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.Conflict))
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retry").GetBoolean());
        var created = await Task.WhenAll(responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.Created)
            .Select(async r => await r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.NotEmpty(created);
        Assert.Single(created.Select(c => c.Id("participantId")).Distinct());
        // A refused one sent again joins the same person.
        var retried = await partner.Created(People.Referral(nhsNumber: nhs));
        Assert.Equal(created[0].Id("participantId"), retried.Id("participantId"));
    }

    [Fact]
    public async Task A_later_referral_that_leaves_out_a_detail_keeps_the_one_already_held()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var family = People.FamilyName();
        var nhs = People.NhsNumber();
        var first = await partner.Created(People.Referral(familyName: family, nhsNumber: nhs, postcode: "L8 1XY"));
        await caseworker.Send($"/api/v1/referrals/{first.Id()}/withdraw", new { reason = "Changed their mind" });

        // The same person again, matched on name, date of birth and postcode, this time without an NHS number.
        var second = await partner.Created(People.Referral(familyName: family, nhsNumber: null, postcode: "L8 1XY"));
        Assert.Equal(first.Id("participantId"), second.Id("participantId"));

        await using var session = service.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var identity = await session.LoadAsync<Identity.ParticipantIdentity>(first.Id("participantId"));
        Assert.Equal(nhs, identity!.NhsNumber?.Value);
        Assert.Equal("L8 1XY", identity.Postcode?.Value);
    }

    [Fact]
    public async Task The_identity_document_holds_the_persons_details_only_encrypted_and_the_service_reads_them_back()
    {
        var (_, partner) = await service.NewPartner();
        var familyName = People.FamilyName();
        var nhs = People.NhsNumber();
        var created = await partner.Created(People.Referral(familyName: familyName, nhsNumber: nhs, givenName: "Ottoline", dateOfBirth: "1979-08-23", postcode: "EH1 1YZ"));
        var participantId = created.Id("participantId");

        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select data::text from referrals.mt_doc_participantidentity where id = @id", connection);
        command.Parameters.AddWithValue("id", participantId);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        foreach (var personal in new[] { familyName, "Ottoline", "1979-08-23", "EH1 1YZ", nhs, "07700 900123" })
        {
            Assert.DoesNotContain(personal, stored, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("\"v1:", stored, StringComparison.Ordinal);

        await using var session = service.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var identity = await session.LoadAsync<Identity.ParticipantIdentity>(participantId);
        Assert.Equal(familyName, identity!.FamilyName.Value);
        Assert.Equal("1979-08-23", identity.DateOfBirth.Value);
        Assert.Equal(nhs, identity.NhsNumber!.Value);
        // And the match still works on the keyed hashes, without decrypting anything.
        Assert.Equal(participantId, (await partner.Created(People.Referral(nhsNumber: nhs))).Id("participantId"));
    }

    [Fact]
    public void A_sealed_value_opens_only_with_its_key_and_is_different_every_time()
    {
        var cipher = new Identity.IdentityCipher(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var other = new Identity.IdentityCipher(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var first = cipher.Seal("Siobhán Ó Súilleabháin");
        var second = cipher.Seal("Siobhán Ó Súilleabháin");

        Assert.NotEqual(first, second);
        Assert.Equal("Siobhán Ó Súilleabháin", cipher.Open(first));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => other.Open(first));
        Assert.Equal("stored before encryption", cipher.Open("stored before encryption"));
    }
}
