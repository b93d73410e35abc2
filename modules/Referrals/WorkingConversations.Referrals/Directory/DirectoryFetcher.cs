using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.BuildingBlocks.Security;

namespace WorkingConversations.Referrals.Directory;

/// <summary>
/// Reads an ORUK API: its <c>/services</c> pages one after another (ORUK paging: page, per_page, total_pages, last_page),
/// and for each service listed its full object from <c>/services/{id}</c>, which nests what a list item may leave out.
/// </summary>
/// What it fetches is untrusted input: connections go through the outbound rule (no internal addresses, https outside
/// Development), each answer must be JSON of at most <see cref="MaxAnswerBytes"/> and <see cref="MaxDepth"/> levels, and
/// every record then goes through the same validation as an uploaded dataset.
internal sealed class DirectoryFetcher(OutboundRule outbound) : IDisposable
{
    public const int MaxAnswerBytes = 4 * 1024 * 1024;
    public const int MaxDepth = 32;

    public const int PerPage = 50;

    /// <summary>A directory of 10,000 services; past that the dataset is not what this service is for.</summary>
    public const int MaxPages = 200;

    private readonly HttpClient _client = new(outbound.Handler(TimeSpan.FromSeconds(10)))
    {
        Timeout = TimeSpan.FromSeconds(30),
        MaxResponseContentBufferSize = MaxAnswerBytes,
    };

    public sealed record Fetched(IReadOnlyList<(JsonNode? Node, string Path)> Records, string? Problem);

    public async Task<Fetched> FetchAsync(string url, CancellationToken ct)
    {
        if (await outbound.ProblemWithAsync(url, ct) is { } problem) return new([], problem);

        var baseUrl = url.TrimEnd('/');
        var records = new List<(JsonNode?, string)>();
        try
        {
            for (var page = 1; page <= MaxPages; page++)
            {
                var list = await GetJson(string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/services?page={page}&per_page={PerPage}"), ct);
                if (list?["contents"] is not JsonArray contents) return new([], $"answered page {page} of /services without an ORUK 'contents' array.");
                foreach (var item in contents)
                {
                    var id = item?["id"]?.GetValueKind() == JsonValueKind.String ? item["id"]!.GetValue<string>() : null;
                    if (id is null)
                    {
                        records.Add((item, $"services?page={page}[{contents.IndexOf(item)}]"));
                        continue;
                    }

                    records.Add((await GetJson($"{baseUrl}/services/{Uri.EscapeDataString(id)}", ct), $"services/{id}"));
                }

                var last = list["last_page"]?.GetValueKind() == JsonValueKind.True;
                var totalPages = list["total_pages"]?.GetValueKind() == JsonValueKind.Number ? list["total_pages"]!.GetValue<int>() : page;
                if (last || page >= totalPages || contents.Count == 0) return new(records, null);
            }

            return new([], $"has more than {MaxPages} pages of services.");
        }
        catch (Exception e) when (OutboundRule.Refused(e))
        {
            return new([], "could not be read: a host it names resolves to an address the service may not call.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidDataException)
        {
            return new([], $"could not be read: {e.Message}");
        }
    }

    private async Task<JsonNode?> GetJson(string url, CancellationToken ct)
    {
        using var response = await _client.GetAsync(url, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url} answered {(int)response.StatusCode}.");
        var media = response.Content.Headers.ContentType?.MediaType;
        if (media is not null && media != "application/json" && !media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{url} answered {media}, not JSON.");
        return JsonNode.Parse(await response.Content.ReadAsByteArrayAsync(ct), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
    }

    public void Dispose() => _client.Dispose();
}
