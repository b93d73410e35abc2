using System.Net;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

/// <summary>
/// A NUL or another control character in a query value is the caller's 400, naming the parameter. The directory search
/// passed a NUL in <c>taxonomy_term_id</c> to PostgreSQL, which refuses it in JSON: a 500.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class QueryTextTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/api/v1/directory/services?taxonomy_term_id=%00", "taxonomy_term_id")]
    [InlineData("/api/v1/directory/services?search=a%00b", "search")]
    [InlineData("/api/v1/referrals?status=received%0Aaccepted", "status")]
    public async Task A_control_character_in_a_query_value_is_a_400_naming_the_parameter(string url, string parameter)
    {
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        var response = await caseworker.GetAsync(url);

        var problem = await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var rules), problem.ToString());
        Assert.Contains("control characters", rules[0].GetString(), StringComparison.Ordinal);
    }
}
