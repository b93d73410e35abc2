using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Reliability.Client;

namespace WorkingConversations.Reliability.BadInput;

/// <summary>One route of the OpenAPI document, as the generator sees it.</summary>
public sealed record Route(HttpMethod Method, string Template, IReadOnlyList<(string Name, string In, JsonObject Schema)> Parameters, JsonObject? BodySchema)
{
    public override string ToString() => $"{Method} {Template}";
}

/// <summary>A request made to be wrong in one way, and what way that is.</summary>
public sealed record BadRequest(Route Route, string Flaw, Call Call);

/// <summary>
/// Makes wrong requests from the OpenAPI document: for every route, a plausible request is built from its schema, and
/// then spoiled one way at a time: ids that are not GUIDs, query values of the wrong type or out of range, odd cursors,
/// fields missing, null, of the wrong type, huge or in odd Unicode, extra fields, malformed JSON, the wrong content
/// type, bad headers.
/// </summary>
public sealed class RequestGenerator(JsonObject document, Func<Route, string, string> pathValue)
{
    private static readonly string Huge = new('a', 200_000);
    private const string OddUnicode = "\u202Eevil\u200B\u00A0ß\u0301🙂\uFEFF\u2028x";

    public IReadOnlyList<Route> Routes() =>
    [
        .. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op =>
        {
            var parameters = op.Value!["parameters"]?.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                Resolve(p["schema"]?.AsObject()) ?? new JsonObject())).ToList() ?? [];
            var body = op.Value["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
            return new Route(HttpMethod.Parse(op.Key.ToUpperInvariant()), path.Key, parameters, Resolve(body));
        })),
    ];

    /// <summary>The route's path with every parameter a real id (or value) of the right kind.</summary>
    public string Path(Route route, Func<string, string>? replace = null, string? query = null)
    {
        var path = route.Template;
        foreach (var (name, _, _) in route.Parameters.Where(p => p.In == "path"))
            path = path.Replace("{" + name + "}", replace?.Invoke(name) ?? pathValue(route, name), StringComparison.Ordinal);
        return query is null ? path : path + "?" + query;
    }

    /// <summary>A body of the route's shape with plausible values (not necessarily acceptable ones).</summary>
    public JsonNode? SampleBody(Route route) => route.BodySchema is null ? null : Sample(route.BodySchema, 0);

    public IEnumerable<BadRequest> For(Route route, Func<Route, string?> keyFor)
    {
        var key = keyFor(route);
        var basePath = Path(route);
        var body = SampleBody(route)?.ToJsonString() ?? (route.Method == HttpMethod.Get || route.Method == HttpMethod.Delete ? null : "{}");
        BadRequest Make(string flaw, string path, string? content, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null,
            string? useKey = null, bool anonymous = false) =>
            new(route, flaw, new Call(route.Method, path, anonymous ? null : useKey ?? key, content, null, contentType, headers));

        // Any route: an unknown query parameter, a bad key, a body where none belongs.
        yield return Make("query: an unknown parameter", basePath + "?unknownParameter=1", body);
        yield return Make("Authorization: an unknown key", basePath, body, useKey: "wc_unknown-" + new string('x', 40));
        yield return Make("Authorization: not a bearer key", basePath, body, headers: new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz" },
            anonymous: true);
        if (route.Method == HttpMethod.Get) yield return Make("a body on a GET", basePath, "{\"a\":1}");

        // Path values: not GUIDs, the empty GUID, unknown, huge, odd.
        foreach (var (name, _, _) in route.Parameters.Where(p => p.In == "path"))
        {
            foreach (var (flaw, value) in new[]
                     {
                         ("not a GUID", "not-a-guid"), ("a number", "12345"), ("the empty GUID", Guid.Empty.ToString()), ("an unknown GUID", Guid.NewGuid().ToString()),
                         ("a GUID without dashes", Guid.NewGuid().ToString("N")), ("a GUID in braces", Guid.NewGuid().ToString("B")),
                         ("SQL", Uri.EscapeDataString("' or 1=1 --")), ("odd Unicode", Uri.EscapeDataString(OddUnicode)),
                         ("a NUL", "%00"), ("2,000 characters", new string('9', 2000)),
                     })
            {
                yield return Make($"path {name}: {flaw}", Path(route, n => n == name ? value : pathValue(route, n)), body);
            }
        }

        // Query values: wrong types, out of range, odd cursors, repeated.
        foreach (var (name, _, schema) in route.Parameters.Where(p => p.In == "query"))
        {
            var values = new List<(string, string)>
            {
                ("wrong type", "abc"), ("negative", "-1"), ("zero", "0"), ("huge number", "99999999999999999999999"), ("exponent", "1e3"),
                ("not a date", "2026-13-45"), ("huge text", new string('q', 10_000)), ("odd Unicode", Uri.EscapeDataString(OddUnicode)),
                ("a NUL", "%00"), ("empty", ""),
            };
            if (name is "cursor")
                values.AddRange([("garbage cursor", "!!!"), ("base64 of nothing", "AAAA"), ("long cursor", Convert.ToBase64String(new byte[3000])),
                    ("JSON cursor", Uri.EscapeDataString("{\"at\":1}"))]);
            if (name is "limit") values.AddRange([("limit over the top", "1000000"), ("limit of 2^40", "1099511627776"), ("fractional limit", "1.5")]);
            foreach (var (flaw, value) in values)
                yield return Make($"query {name}: {flaw}", basePath + "?" + name + "=" + value, body);
            yield return Make($"query {name}: given twice", basePath + $"?{name}=1&{name}=2", body);
            _ = schema;
        }

        if (route.Method == HttpMethod.Get || route.Method == HttpMethod.Delete) yield break;

        // Bodies: malformed, of the wrong root type, wrong content types.
        foreach (var (flaw, content) in new[]
                 {
                     ("malformed JSON: unclosed", "{"), ("malformed JSON: no value", "{\"a\":}"), ("malformed JSON: single quotes", "{'a':1}"),
                     ("malformed JSON: trailing comma", "{\"a\":1,}"), ("malformed JSON: garbage after", "{}garbage"), ("malformed JSON: nul", "nul"),
                     ("a NUL byte", "\0"), ("a lone surrogate", "{\"a\":\"\\ud800\"}"), ("nested 10,000 deep", new string('[', 10_000) + new string(']', 10_000)),
                     ("an array", "[]"), ("a string", "\"text\""), ("a number", "42"), ("null", "null"), ("true", "true"), ("empty", ""),
                     ("whitespace", "   "), ("a 300 KB string field", "{\"x\":\"" + Huge + Huge[..100_000] + "\"}"),
                 })
        {
            yield return Make($"body: {flaw}", basePath, content);
        }

        foreach (var (flaw, contentType, content) in new[]
                 {
                     ("content type text/plain", "text/plain", body ?? "{}"), ("content type XML", "application/xml", "<referral/>"),
                     ("a form", "application/x-www-form-urlencoded", "a=1&b=2"), ("no content type", "", body ?? "{}"),
                     ("content type multipart without boundary", "multipart/form-data", "--x"), ("a bad charset", "application/json; charset=klingon", body ?? "{}"),
                 })
        {
            yield return Make($"body: {flaw}", basePath, content, contentType);
        }

        // Headers: bad Idempotency-Key and If-Match values, a bad key.
        foreach (var (flaw, name, value) in new[]
                 {
                     ("Idempotency-Key of 300 characters", "Idempotency-Key", new string('k', 300)), ("Idempotency-Key not ASCII", "Idempotency-Key", "ключ"),
                     ("If-Match garbage", "If-Match", "garbage"), ("If-Match a weak tag", "If-Match", "W/\"1\""), ("If-Match a huge version", "If-Match", "\"99999999999999999999\""),
                 })
        {
            yield return Make($"header: {flaw}", basePath, body, headers: new Dictionary<string, string> { [name] = value });
        }

        yield return Make("Authorization: a key of 5,000 characters", basePath, body, useKey: new string('k', 5000));

        // Fields: each missing, null, of the wrong type, huge, odd; and one too many.
        if (route.BodySchema is not null && SampleBody(route) is JsonObject sample)
        {
            foreach (var (path, schema) in Fields(route.BodySchema, ""))
            {
                yield return Make($"field {path}: missing", basePath, Edit(sample, path, null, remove: true));
                yield return Make($"field {path}: null", basePath, Edit(sample, path, null));
                foreach (var (flaw, value) in WrongValues(schema))
                    yield return Make($"field {path}: {flaw}", basePath, Edit(sample, path, value));
            }

            var extra = sample.DeepClone().AsObject();
            extra["unexpectedField"] = 1;
            yield return Make("body: an extra field", basePath, extra.ToJsonString());
            var readOnly = sample.DeepClone().AsObject();
            readOnly["id"] = Guid.NewGuid().ToString();
            readOnly["status"] = "accepted";
            yield return Make("body: id and status given", basePath, readOnly.ToJsonString());
        }
    }

    private static IEnumerable<(string Flaw, JsonNode? Value)> WrongValues(JsonObject schema)
    {
        var type = schema["type"]?.GetValue<string>();
        var format = schema["format"]?.GetValue<string>();
        if (type == "string")
        {
            yield return ("a number instead of text", 12345);
            yield return ("an object instead of text", new JsonObject { ["a"] = 1 });
            yield return ("200,000 characters", Huge);
            yield return ("odd Unicode", OddUnicode);
            yield return ("empty", "");
            if (format is "date" or "date-time") yield return ("not a date", "31/12/2020");
            if (format == "uuid") yield return ("not a GUID", "not-a-guid");
        }
        else if (type is "integer" or "number")
        {
            yield return ("text instead of a number", "abc");
            yield return ("a fraction", 1.5);
            yield return ("a number too big", JsonNode.Parse("1e400"));
            yield return ("2^63", JsonNode.Parse("9223372036854775808"));
            yield return ("negative", -1);
        }
        else if (type == "boolean")
        {
            yield return ("text instead of true or false", "yes");
            yield return ("a number instead of true or false", 1);
        }
        else if (type == "array")
        {
            yield return ("text instead of a list", "x");
            yield return ("a list of 10,000", new JsonArray([.. Enumerable.Range(0, 10_000).Select(i => (JsonNode?)JsonValue.Create(i))]));
            yield return ("a list with a null", new JsonArray(null, null));
        }
        else
        {
            yield return ("a list instead of an object", new JsonArray());
            yield return ("text instead of an object", "x");
        }
    }

    /// <summary>The fields of an object schema, and of the objects inside it, as dotted paths.</summary>
    private IEnumerable<(string Path, JsonObject Schema)> Fields(JsonObject schema, string prefix)
    {
        if (schema["properties"] is not JsonObject properties) yield break;
        foreach (var (name, value) in properties)
        {
            var field = Resolve(value?.AsObject()) ?? new JsonObject();
            var path = prefix + name;
            yield return (path, field);
            if (prefix.Length == 0 && field["properties"] is not null)
                foreach (var inner in Fields(field, path + ".")) yield return inner;
        }
    }

    private static string Edit(JsonObject sample, string path, JsonNode? value, bool remove = false)
    {
        var copy = sample.DeepClone().AsObject();
        var parts = path.Split('.');
        var target = copy;
        foreach (var part in parts[..^1])
        {
            if (target[part] is not JsonObject inner) return copy.ToJsonString();
            target = inner;
        }

        if (remove) target.Remove(parts[^1]);
        else target[parts[^1]] = value?.DeepClone();
        return copy.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private JsonNode? Sample(JsonObject schema, int depth)
    {
        if (depth > 4) return null;
        if (schema["enum"] is JsonArray values && values.Count > 0) return values[0]?.DeepClone();
        return schema["type"]?.GetValue<string>() switch
        {
            "object" or null when schema["properties"] is JsonObject properties =>
                new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Sample(Resolve(p.Value?.AsObject()) ?? new JsonObject(), depth + 1)))),
            "string" => schema["format"]?.GetValue<string>() switch
            {
                "date" => "2026-01-15",
                "date-time" => "2026-01-15T10:00:00Z",
                "uuid" => Guid.NewGuid().ToString(),
                _ => "x",
            },
            "integer" => 1,
            "number" => 1.5,
            "boolean" => true,
            "array" => new JsonArray(Sample(Resolve(schema["items"]?.AsObject()) ?? new JsonObject(), depth + 1)),
            _ => null,
        };
    }

    private JsonObject? Resolve(JsonObject? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            schema = document["components"]?["schemas"]?[name]?.AsObject();
        }

        if (schema?["allOf"] is JsonArray { Count: 1 } all) return Resolve(all[0]?.AsObject());
        return schema;
    }

    public static string Describe(IEnumerable<BadRequest> requests) =>
        new StringBuilder().AppendJoin(", ", requests.GroupBy(r => r.Route.ToString()).Select(g => $"{g.Key} ({g.Count()})")).ToString();
}
