using Fleet.Contracts.Api;
using Fleet.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>RFC 9457 problem details, each with the stable <c>code</c> extension clients switch on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string id) => NotFound($"There is no {what.ToLowerInvariant()} '{id}'.");

    public static ProblemHttpResult NotFound(string message) => Make(StatusCodes.Status404NotFound, Codes.NotFound, "Not found", message);

    /// <summary>A business rule refused the request (422), e.g. <c>contact_time_not_met</c>.</summary>
    public static ProblemHttpResult Refused(Refusal refusal, int status = StatusCodes.Status422UnprocessableEntity,
        IDictionary<string, object?>? extra = null) =>
        Make(status, refusal.Code, "Refused", refusal.Message, extra);

    public static ProblemHttpResult Refused(IReadOnlyList<Refusal> refusals, int status = StatusCodes.Status422UnprocessableEntity) =>
        Make(status, refusals[0].Code, "Refused", string.Join(" ", refusals.Select(r => r.Message)),
            new Dictionary<string, object?> { ["reasons"] = refusals.Select(ToReason).ToList() });

    /// <summary>The assignment gate said no: 409 with every reason that holds.</summary>
    public static ProblemHttpResult Blocked(string headsetId, IReadOnlyList<Refusal> reasons, IReadOnlyList<Refusal> warnings) =>
        Make(StatusCodes.Status409Conflict, reasons[0].Code, "Headset may not be assigned",
            $"{headsetId} may not be handed to a patient: " + string.Join(" ", reasons.Select(r => r.Message)),
            new Dictionary<string, object?>
            {
                ["headsetId"] = headsetId,
                ["reasons"] = reasons.Select(ToReason).ToList(),
                ["warnings"] = warnings.Select(ToReason).ToList(),
            });

    public static ProblemHttpResult Conflict(string message, string code = Codes.Conflict) =>
        Make(StatusCodes.Status409Conflict, code, "Conflict", message);

    /// <summary>503: something Fleet depends on (the broker) cannot do its part now; the request may be retried.</summary>
    public static ProblemHttpResult Unavailable(string message, string code) =>
        Make(StatusCodes.Status503ServiceUnavailable, code, "Unavailable", message);

    public static ProblemHttpResult Forbidden(string message) =>
        Make(StatusCodes.Status403Forbidden, Codes.Forbidden, "Forbidden", message);

    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Make(StatusCodes.Status400BadRequest, Codes.ValidationFailed, "Validation failed",
            "The request is not valid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static Reason ToReason(Refusal r) => new(r.Code, r.Message);

    private static ProblemHttpResult Make(int status, string code, string title, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null)
        {
            foreach (var (k, v) in extra) extensions[k] = v;
        }
        return TypedResults.Problem(detail: detail, statusCode: status, title: title,
            type: $"https://fleet.example/problems/{code.Replace('_', '-')}", extensions: extensions);
    }
}
