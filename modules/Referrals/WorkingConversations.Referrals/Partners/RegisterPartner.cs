using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Security;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Partners;

internal sealed record RegisterPartnerRequest(string? Name, string? ContactEmail, string? CallbackUrl, string? CallbackFormat = null);

public sealed record RegisteredPartner(Guid Id, string Name, string? CallbackSecret);

public sealed record PartnerView(Guid Id, string Name, string ContactEmail, string? CallbackUrl, DateTimeOffset RegisteredAt, string CallbackFormat);

internal static class RegisterPartner
{
    public static Validation Validate(RegisterPartnerRequest request)
    {
        var v = new Validation();
        v.RequiredText("name", request.Name, 200);
        if (v.Required("contactEmail", request.ContactEmail)) v.Email("contactEmail", request.ContactEmail);
        if (request.CallbackUrl is not null &&
            (!Uri.TryCreate(request.CallbackUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || request.CallbackUrl.Length > 2000))
        {
            v.Add("callbackUrl", "must be an absolute http or https URL of at most 2000 characters.");
        }

        if (v.OneOf("callbackFormat", request.CallbackFormat, CallbackFormats.All, required: false) &&
            request.CallbackFormat == CallbackFormats.Fhir && request.CallbackUrl is null)
        {
            v.Add("callbackFormat", "'fhir' needs a callbackUrl to send the FHIR messages to.");
        }

        return v;
    }

    public static Partner Create(RegisterPartnerRequest request, Guid id, DateTimeOffset now) =>
        new(id, request.Name!.Trim(), request.ContactEmail!.Trim(), request.CallbackUrl,
            request.CallbackUrl is null ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), now,
            request.CallbackFormat ?? CallbackFormats.Json);

    /// <summary>Pure: the partner, stored; its callback secret is in the result only, to be shown once.</summary>
    public static Decision<RegisteredPartner> Decide(RegisterPartnerRequest request, Guid id, DateTimeOffset now)
    {
        var partner = Create(request, id, now);
        return Decision.Of(new RegisteredPartner(partner.Id, partner.Name, partner.CallbackSecret)).Insert(partner)
            .Publish(new PartnerRegistered(partner.Id, now));
    }

    /// <summary>The callback URL is checked against the outbound rule here, and again by every callback sent to it.</summary>
    public static async Task<IResult> Handle(JsonBody<RegisterPartnerRequest> body, HttpContext http, WriteStep write, OutboundRule outbound)
    {
        var v = Validate(body.Read);
        if (v.IsValid && body.Read.CallbackUrl is { } url && await outbound.ProblemWithAsync(url, http.RequestAborted) is { } problem)
            v.Add("callbackUrl", problem);
        return await write.RunAsync(http, v, attempt => Decide(body.Read, Guid.CreateVersion7(), attempt.Now),
            registered => Answer.Created($"/api/v1/partners/{registered.Id}", registered) with { Repeated = registered with { CallbackSecret = null } });
    }

    public static async Task<Ok<ListPage<PartnerView>>> List(IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(new ListPage<PartnerView>(await All(session, ct), null));

    /// <summary>Every partner by name, without secrets: the API's list and the administrators' page.</summary>
    public static async Task<PartnerView[]> All(IQuerySession session, CancellationToken ct)
    {
        var partners = await session.Query<Partner>().OrderBy(p => p.Name).ToListAsync(ct);
        return partners.Select(p => new PartnerView(p.Id, p.Name, p.ContactEmail, p.CallbackUrl, p.RegisteredAt, p.CallbackFormat)).ToArray();
    }
}
