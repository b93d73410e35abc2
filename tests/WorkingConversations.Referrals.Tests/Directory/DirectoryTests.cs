using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Directory;

[Collection(ReferralsCollection.Name)]
public sealed class DirectoryTests(ServiceFixture service)
{
    private async Task<string[]> Search(string query)
    {
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var page = await caseworker.GetFromJsonAsync<JsonElement>("/api/v1/directory/services" + query);
        return page.GetProperty("contents").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();
    }

    [Fact]
    public async Task An_import_adds_every_service_and_a_re_import_reports_what_it_changed_added_and_removed()
    {
        var services = DirectoryData.Services();
        var first = await service.Admin().Import(services);
        Assert.Equal(7, first.GetProperty("added").GetInt32());
        Assert.Empty(first.GetProperty("rejected").EnumerateArray());

        var same = await service.Admin().Import(services);
        Assert.Equal((0, 0, 0, 7), (same.GetProperty("added").GetInt32(), same.GetProperty("changed").GetInt32(), same.GetProperty("removed").GetInt32(),
            same.GetProperty("unchanged").GetInt32()));

        var changed = services.DeepClone().AsArray();
        changed.First(s => s!["name"]!.GetValue<string>() == DirectoryData.DingleLarder)!["description"] = "Now open on Saturdays too.";
        changed.Remove(changed.First(s => s!["name"]!.GetValue<string>() == DirectoryData.BirkenheadShed));
        var added = changed[0]!.DeepClone().AsObject();
        added["id"] = Guid.NewGuid().ToString();
        added["name"] = "Speke Gardening Club";
        changed.Add(added);

        var again = await service.Admin().Import(changed);
        Assert.Equal((1, 1, 1, 5), (again.GetProperty("added").GetInt32(), again.GetProperty("changed").GetInt32(), again.GetProperty("removed").GetInt32(),
            again.GetProperty("unchanged").GetInt32()));
        var names = await Search("?per_page=500");
        Assert.Contains("Speke Gardening Club", names);
        Assert.DoesNotContain(DirectoryData.BirkenheadShed, names);
        Assert.Contains("Saturdays", (await Page("?search=larder")).GetProperty("contents")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Malformed_records_are_rejected_with_their_paths_and_leave_the_stored_service_as_it_was()
    {
        var services = DirectoryData.Services();
        await service.Admin().Import(services);

        var broken = services.DeepClone().AsArray();
        broken[0]!.AsObject().Remove("name");
        broken[1]!["status"] = "open";
        broken[2]!["service_at_locations"]![0]!["location"]!["addresses"]![0]!["postal_code"] = "L17 7";
        broken[3]!["service_at_locations"]![0]!["location"]!["latitude"] = 123.4;
        broken.Add(JsonValue.Create("not a service"));
        var report = await service.Admin().Import(broken);

        var paths = report.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("path").GetString()).ToArray();
        Assert.Contains("[0].name", paths);
        Assert.Contains("[1].status", paths);
        Assert.Contains("[2].service_at_locations[0].location.addresses[0].postal_code", paths);
        Assert.Contains("[3].service_at_locations[0].location.latitude", paths);
        Assert.Contains("[7]", paths);
        Assert.Equal(0, report.GetProperty("removed").GetInt32());
        Assert.Contains(DirectoryData.ToxtethWalking, await Search("?search=walking"));
    }

    [Fact]
    public async Task Search_by_text_taxonomy_term_and_postcode_answers_an_oruk_page_of_active_services()
    {
        var services = DirectoryData.Services();
        await service.Admin().Import(services);

        Assert.Equal([DirectoryData.ToxtethWalking], await Search("?search=walk%20park"));
        var food = services.First(s => s!["name"]!.GetValue<string>() == DirectoryData.DingleLarder)!["attributes"]![0]!["taxonomy_term"]!["id"]!.GetValue<string>();
        Assert.Equal([DirectoryData.DingleLarder], await Search($"?taxonomy_term_id={food}"));
        // Everton's choir is defunct: never offered.
        Assert.DoesNotContain(DirectoryData.EvertonChoir, await Search("?search=choir"));

        // The L8 district, and locations within 3 km of it; the Wirral shed is across the river, Anfield's café has no coordinates.
        var nearL8 = await Search("?postcode=l8%201xy");
        Assert.Contains(DirectoryData.ToxtethWalking, nearL8);
        Assert.Contains(DirectoryData.DingleLarder, nearL8);
        Assert.Contains(DirectoryData.AigburthCarers, nearL8);
        Assert.DoesNotContain(DirectoryData.BirkenheadShed, nearL8);
        Assert.DoesNotContain(DirectoryData.AnfieldPeer, nearL8);
        Assert.Equal([DirectoryData.AnfieldPeer], await Search("?postcode=L5&search=peer"));

        var page = await Page("?per_page=2&page=2");
        Assert.Equal(6, page.GetProperty("total_items").GetInt32());
        Assert.Equal(3, page.GetProperty("total_pages").GetInt32());
        Assert.Equal(2, page.GetProperty("page_number").GetInt32());
        Assert.Equal(2, page.GetProperty("size").GetInt32());
        Assert.False(page.GetProperty("first_page").GetBoolean());
        Assert.False(page.GetProperty("last_page").GetBoolean());
        Assert.False(page.GetProperty("empty").GetBoolean());
        Assert.True(page.GetProperty("contents")[0].TryGetProperty("service_at_locations", out _));

        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var bad = await caseworker.GetAsync("/api/v1/directory/services?postcode=nowhere&per_page=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("postcode", out _));
        Assert.True(errors.TryGetProperty("per_page", out _));
    }

    [Fact]
    public async Task An_import_from_an_oruk_api_reads_every_page_and_each_full_service()
    {
        var services = DirectoryData.Services();
        using var api = new OrukApi(services, pageSize: 3);
        var report = await service.Admin().Import(new JsonObject { ["url"] = api.Url });

        Assert.Equal(7, report.GetProperty("added").GetInt32());
        Assert.Equal(3, api.PagesRead);
        Assert.Contains(DirectoryData.AigburthCarers, await Search("?postcode=L17%207AA"));
    }

    [Fact]
    public async Task A_decline_signposted_to_a_directory_service_records_the_service_and_shows_the_partner_its_name()
    {
        var services = DirectoryData.Services();
        await service.Admin().Import(services);
        var walking = DirectoryData.IdOf(services, DirectoryData.ToxtethWalking);
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var created = await partner.Created();

        var (status, _) = await caseworker.Send($"/api/v1/referrals/{created.Id()}/decline", new { reason = "Out of our area", signpostedTo = walking });
        Assert.Equal(200, status);

        var seen = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{created.Id()}");
        Assert.Equal(DirectoryData.ToxtethWalking, seen.GetProperty("statusHistory")[1].GetProperty("signpostedTo").GetString());
        var export = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{created.Id("participantId")}/export");
        var declined = export.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "referral-declined");
        Assert.Equal(walking, declined.GetProperty("data").GetProperty("signpostedServiceId").GetString());

        // Free text stays free text.
        var other = await partner.Created();
        await caseworker.Send($"/api/v1/referrals/{other.Id()}/decline", new { reason = "Out of our area", signpostedTo = "The GP surgery" });
        var text = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{other.Id()}");
        Assert.Equal("The GP surgery", text.GetProperty("statusHistory")[1].GetProperty("signpostedTo").GetString());
    }

    private async Task<JsonElement> Page(string query)
    {
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        return await caseworker.GetFromJsonAsync<JsonElement>("/api/v1/directory/services" + query);
    }

    /// <summary>An ORUK API on 127.0.0.1: /services pages of <c>pageSize</c> (whatever per_page asks) and /services/{id}.</summary>
    private sealed class OrukApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly JsonArray _services;
        private readonly int _pageSize;

        public OrukApi(JsonArray services, int pageSize)
        {
            _services = services;
            _pageSize = pageSize;
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/oruk";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(Loop);
        }

        public string Url { get; }

        public int PagesRead { get; private set; }

        private async Task Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

                var path = context.Request.Url!.AbsolutePath;
                string body;
                if (path.EndsWith("/services", StringComparison.Ordinal))
                {
                    PagesRead++;
                    var page = int.Parse(context.Request.QueryString["page"] ?? "1");
                    var totalPages = (int)Math.Ceiling(_services.Count / (double)_pageSize);
                    // A list item carries only a summary: the full object is at /services/{id}.
                    var contents = new JsonArray(_services.Skip((page - 1) * _pageSize).Take(_pageSize)
                        .Select(s => (JsonNode)new JsonObject { ["id"] = s!["id"]!.GetValue<string>(), ["name"] = s["name"]!.GetValue<string>() }).ToArray());
                    body = new JsonObject
                    {
                        ["total_items"] = _services.Count, ["total_pages"] = totalPages, ["page_number"] = page, ["size"] = contents.Count,
                        ["first_page"] = page == 1, ["last_page"] = page >= totalPages, ["empty"] = contents.Count == 0, ["contents"] = contents,
                    }.ToJsonString();
                }
                else
                {
                    var id = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
                    body = _services.First(s => s!["id"]!.GetValue<string>() == id)!.ToJsonString();
                }

                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
