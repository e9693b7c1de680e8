using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Contracts;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>
/// Turns what ASP.NET Core and System.Text.Json say about an unreadable request into the field it concerns and plain
/// words ("ready must be true or false"), so no framework sentence or type name ever reaches a client.
/// </summary>
public static partial class BindingErrors
{
    public static (string Field, string Message) Explain(BadHttpRequestException bad, HttpContext http)
    {
        if (bad.InnerException is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
            if (json is PlainJsonException) return (field, json.Message);
            if (FrameworkJsonType().Match(json.Message) is { Success: true } m) return (field, Expectation(MemberType(m.Groups[1].Value, field)));
            return (field, field == "body" ? "must be a JSON object of the documented shape." : "is not valid JSON here.");
        }
        if (BindParameter().Match(bad.Message) is { Success: true } p) return (FieldAsSent(p.Groups[2].Value, http), Expectation(p.Groups[1].Value));
        if (RequiredParameter().Match(bad.Message) is { Success: true } r) return (FieldAsSent(r.Groups[2].Value, http), "is required.");
        if (bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal))
            return ("body", "is required: send a JSON object with Content-Type: application/json.");
        return bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => ("body", "is too large."),
            StatusCodes.Status415UnsupportedMediaType => ("body", "must be JSON, sent with Content-Type: application/json."),
            _ => ("body", "could not be read."),
        };
    }

    /// <summary>
    /// The framework names the .NET parameter ("From" when bound through an [AsParameters] record, "Count" for "_count");
    /// the client should see the query or route key it sent.
    /// </summary>
    private static string FieldAsSent(string parameter, HttpContext http)
    {
        bool Same(string key) => string.Equals(key.TrimStart('_'), parameter, StringComparison.OrdinalIgnoreCase);
        var sent = http.Request.Query.Keys.FirstOrDefault(Same) ?? http.Request.RouteValues.Keys.FirstOrDefault(Same);
        return sent ?? JsonNamingPolicy.CamelCase.ConvertName(parameter);
    }

    /// <summary>
    /// For a record bound through its constructor, System.Text.Json names the record, not the member: look the member up.
    /// </summary>
    private static string MemberType(string typeName, string path)
    {
        var member = path.Split('.')[^1].Split('[')[0];
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t is not null);
        var property = type?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, member, StringComparison.OrdinalIgnoreCase));
        return property?.PropertyType.ToString() ?? typeName;
    }

    /// <summary>What a value of the named .NET type must look like, in words (the name may be wrapped: Nullable, generic, qualified).</summary>
    private static string Expectation(string typeName)
    {
        bool Has(params string[] names) => names.Any(n => Regex.IsMatch(typeName, $@"(^|[^\w]){n}([^\w]|$)"));
        if (Has("List", "IReadOnlyList", "IEnumerable") || typeName.Contains("[]", StringComparison.Ordinal)) return "must be a list.";
        if (Has("Boolean", "bool")) return "must be true or false.";
        if (Has("Int16", "Int32", "Int64", "Byte", "short", "int", "long", "byte")) return "must be a whole number.";
        if (Has("Double", "Single", "Decimal", "double", "float", "decimal")) return "must be a number.";
        if (Has("Guid")) return "must be a UUID such as 0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d.";
        if (Has("DateTimeOffset", "DateTime", "UtcTime")) return WireTime.Expected;
        if (Has("String", "string")) return "must be text.";
        return "has the wrong type.";
    }

    [GeneratedRegex(@"could not be converted to (.+?)\. Path")]
    private static partial Regex FrameworkJsonType();

    [GeneratedRegex("^Failed to bind parameter \"(.+) (\\w+)\" from")]
    private static partial Regex BindParameter();

    [GeneratedRegex("^Required parameter \"(.+) (\\w+)\" was not provided")]
    private static partial Regex RequiredParameter();
}
