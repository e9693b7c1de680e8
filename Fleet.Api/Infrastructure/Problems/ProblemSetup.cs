using System.Text.Json;
using Fleet.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Infrastructure.Problems;

public static class ProblemSetup
{
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>No Fleet request body comes near this; anything larger is refused before it is read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Every error response is problem details with a stable code, including 401/403 and unreadable bodies.</summary>
    public static IServiceCollection AddFleetProblems(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var pd = ctx.ProblemDetails;
            if (!pd.Extensions.ContainsKey("code"))
            {
                pd.Extensions["code"] = pd.Status switch
                {
                    StatusCodes.Status400BadRequest => Codes.ValidationFailed,
                    StatusCodes.Status401Unauthorized => Codes.Unauthorized,
                    StatusCodes.Status403Forbidden => Codes.Forbidden,
                    StatusCodes.Status404NotFound => Codes.NotFound,
                    StatusCodes.Status409Conflict => Codes.Conflict,
                    StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
                    StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
                    StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
                    StatusCodes.Status429TooManyRequests => "too_many_requests",
                    >= 500 => "internal_error",
                    _ => "bad_request",
                };
            }
            if (pd.Status == StatusCodes.Status413PayloadTooLarge && pd.Detail is null)
                pd.Detail = $"The request body is larger than {MaxRequestBodyBytes / 1024} KiB.";
            if (pd.Status == StatusCodes.Status415UnsupportedMediaType && pd.Detail is null)
                pd.Detail = "Send the body as JSON with Content-Type: application/json.";
            if (pd.Status == StatusCodes.Status403Forbidden && pd.Detail is null)
                pd.Detail = "Your role does not allow this.";
            if (pd.Status == StatusCodes.Status401Unauthorized && pd.Detail is null)
                pd.Detail = "Sign in first: send 'Authorization: Bearer <token>' from POST /api/v1/auth/token.";
        });
        return services;
    }

    /// <summary>
    /// Minimal APIs throw BadHttpRequestException for unreadable requests: answer with the field that broke in plain words.
    /// An id in the address that cannot be one (a path's <c>{id}</c> that is no UUID) names nothing: 404.
    /// </summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad) return false;
            var (field, message) = BindingErrors.Explain(bad, http);
            var status = bad.StatusCode;
            var code = status switch
            {
                StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
                _ => Codes.ValidationFailed,
            };
            if (status == StatusCodes.Status400BadRequest && http.Features.Get<IExceptionHandlerFeature>()?.RouteValues?[field] is string routeValue)
            {
                status = StatusCodes.Status404NotFound;
                code = Codes.NotFound;
                message = $"names nothing: '{routeValue}' is not an id Fleet issues.";
            }
            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = status,
                    Title = status == StatusCodes.Status404NotFound ? "Not found" : "The request cannot be read",
                    Detail = $"{field} {message}",
                    Type = $"https://fleet.example/problems/{code.Replace('_', '-')}",
                    Extensions =
                    {
                        ["code"] = code,
                        ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
                    },
                },
            });
        }
    }
}
