using Fleet.Client;
using Fleet.Web.Hardening;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Session;

public static class SessionSetup
{
    public static IServiceCollection AddFleetSession(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        // Outside Development the site is served over HTTPS only (see HttpsRequirement), so its cookies are always Secure;
        // in Development they are Secure whenever the request came over HTTPS.
        var secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddSingleton<SessionTickets>();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, UseSessionTickets>();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);
        services.AddScoped<FleetSession>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.Cookie.Name = "fleet-session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = secure;
                // The API token inside expires on its own; the cookie only has to outlive a shift.
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
            })
            .AddHospitalSignIn(config);
        services.AddAuthorization();
        return services;
    }

    /// <summary>
    /// The sign-in dialog shown after a 401 re-posts the page's own form with the credentials added: sign in first,
    /// then let the page's handler run with what the person had typed, as if the session had never expired.
    /// Only a form that passes the antiforgery check may sign anyone in (the page's handler refuses the rest with 400),
    /// so another site cannot post credentials of its choosing and plant its own session in this browser.
    /// </summary>
    public static IApplicationBuilder UseResumeAfterSignIn(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && !http.Request.Path.StartsWithSegments("/signin")
            && await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form[FleetSession.UsernameField] is [{ } username] && form[FleetSession.PasswordField] is [{ } password])
            {
                var session = http.RequestServices.GetRequiredService<FleetSession>();
                try
                {
                    await session.SignInAsync(http, await http.RequestServices.GetRequiredService<FleetApiClient>().SignInAsync(username, password));
                }
                catch (FleetApiException e)
                {
                    session.SignInError = e.Problem.Message;
                }
            }
        }
        await next(http);
    });

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        // Signing out is a form with an antiforgery token (another site cannot sign anyone out), and it ends the session
        // on the server: the ticket is removed, so a copy of the old cookie no longer works.
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return ErrorPages.Result(StatusCodes.Status400BadRequest, "This sign-out form has expired. Go back, reload the page and sign out again.");
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/signin?signedOut=true");
        });
        return app;
    }
}
