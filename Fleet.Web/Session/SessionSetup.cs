using Fleet.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Fleet.Web.Session;

public static class SessionSetup
{
    public static IServiceCollection AddFleetSession(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<FleetSession>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.Cookie.Name = "fleet-session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
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
    /// </summary>
    public static IApplicationBuilder UseResumeAfterSignIn(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && !http.Request.Path.StartsWithSegments("/signin"))
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
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/signin?signedOut=true");
        });
        return app;
    }
}
