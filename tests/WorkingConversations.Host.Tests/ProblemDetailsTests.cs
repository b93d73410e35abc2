using System.Net;
using System.Net.Http.Json;
using System.Text;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ProblemDetailsTests(ServiceFixture service)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("type")]
    [InlineData("title")]
    [InlineData("status")]
    [InlineData("detail")]
    [InlineData("instance")]
    [InlineData("errors")]
    public void A_refusal_cannot_carry_a_member_every_problem_already_has(string member)
    {
        // The member would be written twice, and a strict JSON parser refuses the whole problem.
        var refused = Assert.Throws<ArgumentException>(() => WorkingConversations.BuildingBlocks.Writing.Refusal.Conflict("No.").With(member, "x"));
        Assert.Contains(member, refused.Message, StringComparison.Ordinal);
        Assert.Equal("x", WorkingConversations.BuildingBlocks.Writing.Refusal.Conflict("No.").With("volunteerStatus", "x").Extensions["volunteerStatus"]);
    }

    [Fact]
    public async Task A_malformed_json_body_is_a_400_problem_not_a_500()
    {
        var response = await service.Admin().PostAsync("/api/v1/partners", Json("{\"name\": \"Mind\", "));
        await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_wrong_json_type_names_the_field()
    {
        var response = await service.Admin().PostAsync("/api/v1/partners", Json("{\"name\": 42, \"contactEmail\": \"a@b.org\"}"));
        var problem = await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        var response = await service.Admin().PostAsync("/api/v1/partners", Json(""));
        await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_a_problem()
    {
        var response = await service.Admin().PostAsync("/api/v1/partners", new StringContent("name=Mind", Encoding.UTF8, "text/plain"));
        Assert.True(response.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest, $"got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_failing_field_is_listed_in_one_validation_problem()
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/partners", new { name = "", contactEmail = "not-an-email", callbackUrl = "ftp://x" });
        var problem = await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("contactEmail", out _));
        Assert.True(errors.TryGetProperty("callbackUrl", out _));
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await service.Admin().GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_rejected_request_changes_nothing_stored()
    {
        var before = await service.Admin().GetStringAsync("/api/v1/partners");
        await service.Admin().PostAsJsonAsync("/api/v1/partners", new { name = "Should not exist", contactEmail = "nope" });
        var after = await service.Admin().GetStringAsync("/api/v1/partners");
        Assert.Equal(before, after);
    }
}
