using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.PostingReferral;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// <c>POST /fhir/R4/$process-message</c>: a referral as a FHIR message (Booking and Referral Standard). The Bundle is
/// parsed and checked against the base R4 profiles (Firely), then against the rules of a referral message
/// (<see cref="BarsReferralMapping"/>); what it says becomes the JSON route's body and goes through the same rules and
/// the same write (<see cref="PostReferral.Check"/>, <see cref="PostReferral.Intake"/>). The Bundle id is remembered
/// with the referral, in its transaction: a repeat is a 409 duplicate.
/// </summary>
internal static class ProcessMessage
{
    public static async Task<IResult> Handle(FhirBody body, HttpContext http, WriteStep write, TimeProvider clock, ReferralsSettings settings,
        FhirValidator validator)
    {
        if (FhirAccess.Refuse(http, "Bundle") is { } refused) return refused;
        if (body.Problem is { } unreadable) return unreadable;

        var (bundle, parseIssues) = Parse(body.Bytes);
        if (bundle is null) return BadRequest(parseIssues);

        var validated = OperationOutcomes.ErrorsOf(validator.Validate(bundle)).ToList();
        if (validated.Count > 0) return BadRequest(validated);

        var message = BarsReferralMapping.Map(bundle);
        var actor = Actor.From(http.User);
        var (rules, keys) = PostReferral.Check(message.Request, actor, clock.GetUtcNow(), settings);
        var issues = message.Issues.Concat(message.IssuesOf(rules.Errors)).ToList();
        if (issues.Count > 0) return BadRequest(issues);

        var partnerId = actor.PartnerId!.Value;
        var referralId = Guid.CreateVersion7();
        var receiptId = FhirMessageReceipt.IdOf(partnerId, message.BundleId);
        return await write.RunAsync(http, async attempt =>
            {
                if (await attempt.Session.LoadAsync<FhirMessageReceipt>(receiptId, attempt.Cancellation) is { } earlier) return Duplicate(earlier);
                var decision = await PostReferral.Intake(attempt, message.Request, keys!, referralId, partnerId);
                var receipt = new FhirMessageReceipt(receiptId, partnerId, message.BundleId, referralId, message.ServiceRequestIdentifier?.System,
                    message.ServiceRequestIdentifier?.Value, attempt.Now);
                // The receipt is inserted, not stored: a repeat that raced this one loses, and its next attempt finds the
                // receipt and answers as a duplicate.
                var view = ReferralViewProjection.Applied(null, decision.Events[0])!;
                return decision.Insert(receipt).Select(_ => Response(bundle, ServiceRequestMapping.From(view, receipt), attempt.Now));
            },
            response => new Answer(StatusCodes.Status200OK, JsonDocument.Parse(FhirJson.Serialize(response)).RootElement,
                $"/fhir/R4/ServiceRequest/{referralId}"),
            PostReferral.WriteOptions);
    }

    /// <summary>
    /// Pure: the document as a Bundle, or every error the reader found, each at its element. Malformed JSON has no
    /// element to name but the Bundle, and says where the reader stopped.
    /// </summary>
    public static (Bundle? Bundle, IReadOnlyList<FhirIssue> Issues) Parse(byte[] bytes)
    {
        if (bytes.Length == 0) return (null, [new FhirIssue("Bundle", "is required: send the referral message as a FHIR JSON Bundle.", OperationOutcome.IssueType.Required)]);
        try
        {
            var resource = JsonSerializer.Deserialize<Resource>(bytes, FhirJson.Options);
            return resource is Bundle bundle
                ? (bundle, [])
                : (null, [new FhirIssue("Bundle", $"must be a Bundle, not a {resource?.TypeName ?? "null"}: referrals come as message Bundles.", OperationOutcome.IssueType.Structure)]);
        }
        catch (DeserializationFailedException e)
        {
            return (null, e.Exceptions.Select(Issue).ToList());
        }
        catch (JsonException e)
        {
            return (null, [new FhirIssue("Bundle", $"is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", OperationOutcome.IssueType.Structure)]);
        }
    }

    private static FhirIssue Issue(Exception e) => e switch
    {
        Hl7.Fhir.Validation.CodedValidationException coded => new FhirIssue(PathOf(coded.InstancePath), coded.BaseErrorMessage,
            coded.IssueType == Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid ? OperationOutcome.IssueType.Structure : (OperationOutcome.IssueType)coded.IssueType),
        _ => new FhirIssue("Bundle", e.Message, OperationOutcome.IssueType.Structure),
    };

    // The reader names the document's root "$this"; the root of a referral message is its Bundle.
    private static string PathOf(string? instancePath) =>
        string.IsNullOrEmpty(instancePath) || instancePath == "$this" ? "Bundle"
        : instancePath.StartsWith("$this.", StringComparison.Ordinal) ? "Bundle" + instancePath[5..]
        : instancePath;

    private static FhirResult BadRequest(IEnumerable<FhirIssue> issues) =>
        new(StatusCodes.Status400BadRequest, OperationOutcomes.Of(issues, FhirEdge.DetailsCodeOf(400)));

    private static Refusal Duplicate(FhirMessageReceipt earlier) =>
        Refusal.Conflict($"The message {earlier.BundleId} was received before, at {earlier.ReceivedAt:o}, as ServiceRequest/{earlier.ReferralId}: " +
                         "it is not recorded again. Read that ServiceRequest for its status.")
            .With(FhirEdge.IssueTypeMember, OperationOutcome.IssueType.Duplicate)
            .With(FhirEdge.ExpressionMember, "Bundle.id");

    /// <summary>Pure: the response message, a <c>servicerequest-response</c> Bundle whose focus is the referral's ServiceRequest.</summary>
    public static Bundle Response(Bundle request, ServiceRequest serviceRequest, DateTimeOffset now) =>
        FhirMessages.Message(FhirUris.ServiceRequestResponse, serviceRequest, now, Guid.CreateVersion7(), respondingTo: request.Id);
}
