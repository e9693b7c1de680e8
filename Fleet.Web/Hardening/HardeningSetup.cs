using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Web.Hardening;

/// <summary>Limits on what a request may carry, security headers on every answer, and HTTPS outside Development.</summary>
public static class HardeningSetup
{
    /// <summary>The largest Fleet form is a few kilobytes; anything near this is not a form a person filled in.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>As many fields as ASP.NET Core's default; more is refused with 400 (the exception handler says so).</summary>
    public const int MaxFormFields = 1024;

    public static IServiceCollection AddFleetHardening(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        // Page and API addresses carry patient references in their queries (trace, sessions): the lines that log whole
        // addresses stay off whatever the configured level.
        services.AddLogging(b => b
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        services.Configure<FormOptions>(o =>
        {
            o.ValueCountLimit = MaxFormFields;
            o.ValueLengthLimit = (int)MaxRequestBodyBytes;
            o.MultipartBodyLengthLimit = MaxRequestBodyBytes;
        });
        if (!environment.IsDevelopment()) HttpsRequirement.Check(config);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // HSTS is only on outside Development, where no one browses a developer's localhost.
            o.ExcludedHosts.Clear();
        });
        return services;
    }

    public static WebApplication UseFleetHardening(this WebApplication app)
    {
        app.UseFleetErrorPages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                // Scripts and styles only from this site (no inline script at all), never framed, no referrer outside it.
                h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "same-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                if (http.User.Identity?.IsAuthenticated == true && !http.Request.Path.StartsWithSegments("/_content") && !IsStaticAsset(http))
                    h.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            // A declared body above the limit is refused before anything reads it (Kestrel also stops undeclared ones).
            if (http.Request.ContentLength > MaxRequestBodyBytes)
            {
                await ErrorPages.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, null);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// Every form posted to the web app passes the antiforgery check before anything acts on it (signing in from the
    /// session-expired dialog included), and a form that fails it, or cannot even be read, gets a plain page instead of
    /// the framework's text. Runs after authentication: the tokens are tied to the signed-in person.
    /// </summary>
    public static IApplicationBuilder UseFormChecks(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
            && !await http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(http))
        {
            await ErrorPages.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorPages.FormExpired);
            return;
        }
        await next(http);
    });

    private static bool IsStaticAsset(HttpContext http) => Path.HasExtension(http.Request.Path.Value);
}
