namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>
/// Why a decision said no, in terms a caller can act on: the problem type (one of <see cref="ProblemTypes"/>), a sentence
/// for a person, the fields it is about, and the members that show the state it ran into (<c>currentStatus</c>,
/// <c>capacity</c>). It holds nothing of HTTP: the API's edge turns it into an RFC 9457 problem
/// (<c>Http.Refusals</c>), and a page can turn the same refusal into its error summary.
/// </summary>
public sealed record Refusal(string Type, string Detail)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
    private static readonly IReadOnlyDictionary<string, object?> NoExtensions = new Dictionary<string, object?>();

    /// <summary>A title of its own; otherwise the problem type's (<see cref="ProblemTypes.TitleOf"/>).</summary>
    public string? Title { get; init; }

    /// <summary>The fields of the request the refusal is about, each with the rules it breaks.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = NoErrors;

    /// <summary>The state the decision ran into, for a program to read: <c>currentStatus</c>, <c>capacity</c>, ...</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = NoExtensions;

    /// <summary>The first field named, for a refusal about one field.</summary>
    public string? Field => Errors.Keys.FirstOrDefault();

    public static Refusal NotFound(string detail) => new(ProblemTypes.NotFound, detail);

    /// <summary>The change is not allowed from the state the record is in.</summary>
    public static Refusal Conflict(string detail) => new(ProblemTypes.Conflict, detail);

    /// <summary>The request is well formed but cannot be carried out as a whole (unmet requirements).</summary>
    public static Refusal Unprocessable(string title, string detail) => new(ProblemTypes.Unprocessable, detail) { Title = title };

    /// <summary>The request breaks the route's rules in these fields.</summary>
    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ProblemTypes.Validation,
            "The request has invalid fields: " + string.Join(", ", errors.Keys) + ". See 'errors' for each field and the rule it breaks.")
        {
            Errors = errors,
        };

    public static Refusal Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>An <c>If-Match</c> named a version that is no longer current: nothing was changed, read again.</summary>
    public static Refusal PreconditionFailed(long currentVersion) =>
        new Refusal(ProblemTypes.PreconditionFailed,
                $"The resource has changed: it is now at version {currentVersion}. Read it again and retry with the new ETag.")
            .With("currentVersion", currentVersion);

    /// <summary>
    /// The member a 409 carries when it is a lost race rather than a refusal: nothing was stored, and sending the same
    /// request again is safe and will most likely succeed.
    /// </summary>
    public const string RetryMember = "retry";

    /// <summary>A write that kept losing races to other writes of the same record; <see cref="RetryMember"/> is true.</summary>
    public static Refusal LostRace(string detail) => Conflict(detail).With(RetryMember, true);

    /// <summary>
    /// The members RFC 9457 gives a problem, and the validation problem's <c>errors</c>: an extension of the same name
    /// would write the member twice, which a strict JSON parser refuses.
    /// </summary>
    public static readonly IReadOnlySet<string> ProblemMembers =
        new HashSet<string>(["type", "title", "status", "detail", "instance", "errors"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The same refusal with one more extension member, never one of <see cref="ProblemMembers"/>.</summary>
    public Refusal With(string member, object? value)
    {
        if (ProblemMembers.Contains(member))
            throw new ArgumentException($"'{member}' is a member of every problem; name the state the refusal shows (volunteerStatus, currentStatus).", nameof(member));
        return this with { Extensions = new Dictionary<string, object?>(Extensions) { [member] = value } };
    }
}
