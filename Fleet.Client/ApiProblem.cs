using System.Net;
using System.Text.Json;
using Fleet.Contracts.Api;

namespace Fleet.Client;

/// <summary>An API refusal or error in the words a person reads: the problem's detail, field errors and reasons.</summary>
public sealed record ApiProblem(int Status, string Code, string Message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();
    public IReadOnlyList<Reason> Reasons { get; init; } = [];

    public static ApiProblem Unreachable(Uri api, Exception e) =>
        new(503, "unreachable", $"The Fleet API at {api} does not answer ({e.Message}). Try again in a moment.");

    public static ApiProblem From(HttpStatusCode status, string? body)
    {
        var code = ((int)status) switch
        {
            403 => "forbidden",
            404 => "not_found",
            _ => "error",
        };
        string? detail = null, title = null;
        Dictionary<string, string[]> errors = [];
        List<Reason> reasons = [];
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code = c.GetString()!;
                    if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString();
                    if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) title = t.GetString();
                    if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var field in e.EnumerateObject())
                            errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                                ? field.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray() : [field.Value.ToString()];
                    }
                    if (root.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var reason in r.EnumerateArray())
                            reasons.Add(new Reason(Text(reason, "code"), Text(reason, "message")));
                    }
                }
            }
            catch (JsonException)
            {
                // Not problem details (a proxy's page, say): fall back to the status below.
            }
        }
        var message = detail ?? ((int)status) switch
        {
            403 => "Your role does not allow this.",
            404 => "The Fleet API has no such thing.",
            _ => title ?? $"The Fleet API answered {(int)status} {status}.",
        };
        return new ApiProblem((int)status, code, message)
        {
            Errors = errors,
            Reasons = reasons,
        };
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}

/// <summary>
/// The API said no, or could not be reached (<see cref="ApiProblem.Unreachable"/>, status 503, code "unreachable").
/// Pages show <see cref="Problem"/>; the simulator reads its <see cref="ApiProblem.Code"/>.
/// </summary>
public class FleetApiException(ApiProblem problem) : Exception(problem.Message)
{
    public ApiProblem Problem { get; } = problem;
}

/// <summary>
/// The API answered 401 to a call made with a token: it expired or was revoked. The web app asks the person to sign in
/// again; a refused sign-in is a plain <see cref="FleetApiException"/> instead.
/// </summary>
public sealed class SessionExpiredException() : FleetApiException(Expired)
{
    private static readonly ApiProblem Expired = new(401, "session_expired", "Your session has expired. Sign in again to continue.");
}
