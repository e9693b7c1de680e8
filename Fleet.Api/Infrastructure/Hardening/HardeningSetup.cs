using Fleet.Api.Infrastructure.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Infrastructure.Hardening;

public static class HardeningSetup
{
    /// <summary>
    /// Headers every answer carries (no MIME sniffing; nothing a signed-in person was shown is kept by a cache or proxy),
    /// and the body size limit, checked before anything reads the body.
    /// </summary>
    public static IApplicationBuilder UseFleetHardening(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // The token answer is the most sensitive of all, though its request carries no token yet.
            if (http.User.Identity?.IsAuthenticated == true || http.Request.Headers.Authorization.Count > 0
                || http.Request.Path.StartsWithSegments("/api/v1/auth"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });

        // Kestrel enforces the limit on bodies of unknown length as they are read (the exception handler answers 413);
        // a declared length above it is refused at once.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ProblemSetup.MaxRequestBodyBytes;
        if (http.Request.ContentLength > ProblemSetup.MaxRequestBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "Payload too large" },
            });
            return;
        }
        // A NUL character is never part of a Fleet value, and PostgreSQL refuses it in text: answer the caller, not a 500.
        if (http.Request.Query.FirstOrDefault(q => q.Value.Any(v => v?.Contains('\0') == true)) is { Key: { } field })
        {
            await Problems.Problems.Validation(field, "must not contain a NUL character.").ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
