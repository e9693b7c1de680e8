using System.Text.Json;
using Fleet.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Infrastructure.Problems;

public static class ProblemSetup
{
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
                    StatusCodes.Status429TooManyRequests => "too_many_requests",
                    _ => "internal_error",
                };
            }
            if (pd.Status == StatusCodes.Status403Forbidden && pd.Detail is null)
                pd.Detail = "Your role does not allow this.";
            if (pd.Status == StatusCodes.Status401Unauthorized && pd.Detail is null)
                pd.Detail = "Sign in first: send 'Authorization: Bearer <token>' from POST /api/v1/auth/token.";
        });
        return services;
    }

    /// <summary>Minimal APIs throw BadHttpRequestException for unreadable bodies; answer with the field that broke.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad) return false;
            var field = "body";
            var message = bad.Message;
            if (bad.InnerException is JsonException json)
            {
                field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
                message = "is not valid JSON of the expected shape.";
            }
            http.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "Validation failed",
                    Detail = $"{field}: {message}",
                    Type = "https://fleet.example/problems/validation-failed",
                    Extensions =
                    {
                        ["code"] = Codes.ValidationFailed,
                        ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
                    },
                },
            });
        }
    }
}
