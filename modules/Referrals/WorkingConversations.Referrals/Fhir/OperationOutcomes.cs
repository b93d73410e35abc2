using Hl7.Fhir.Model;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>One problem with a FHIR request: the element (a FHIRPath expression from the Bundle), the rule, its issue type.</summary>
internal sealed record FhirIssue(string Expression, string Rule, OperationOutcome.IssueType Code = OperationOutcome.IssueType.Invalid,
    OperationOutcome.IssueSeverity Severity = OperationOutcome.IssueSeverity.Error);

/// <summary>Builds the OperationOutcome every FHIR refusal is answered with: one issue per broken rule, each naming its element.</summary>
internal static class OperationOutcomes
{
    /// <summary>The code system of the short codes in <c>issue.details</c>, the same on every refusal of a kind.</summary>
    public const string DetailsSystem = "https://fhir.nhs.uk/CodeSystem/http-error-codes";

    public static OperationOutcome Of(IEnumerable<FhirIssue> issues, string detailsCode)
    {
        var outcome = new OperationOutcome();
        foreach (var issue in issues)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity,
                Code = issue.Code,
                Details = new CodeableConcept(DetailsSystem, detailsCode, issue.Rule),
                Diagnostics = issue.Expression + ": " + issue.Rule,
                Expression = [issue.Expression],
            });
        }

        return outcome;
    }

    public static OperationOutcome Of(FhirIssue issue, string detailsCode) => Of([issue], detailsCode);

    /// <summary>
    /// The validator's own issues, kept as they are (its FHIRPath expressions, its text), errors and fatal ones only:
    /// warnings and information do not refuse a request.
    /// </summary>
    public static IEnumerable<FhirIssue> ErrorsOf(OperationOutcome validated) =>
        validated.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new FhirIssue(i.Expression.FirstOrDefault() ?? i.Location.FirstOrDefault() ?? "Bundle",
                i.Details?.Text ?? i.Diagnostics ?? "breaks a rule of the base FHIR R4 specification.", i.Code ?? OperationOutcome.IssueType.Invalid));
}
