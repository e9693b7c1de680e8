using System.Security.Claims;
using System.Threading.RateLimiting;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Users;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Fleet.Api.Infrastructure.Auth;

public static class AuthSetup
{
    public const string StampClaim = "fleet:stamp";
    public const string LoginRateLimit = "login";

    /// <summary>ASP.NET Core's own bearer tokens (data-protected, opaque), role policies, and a login rate limit.</summary>
    public static IServiceCollection AddFleetAuth(this IServiceCollection services, IConfiguration config, string dataDirectory, DatabaseOptions database)
    {
        // A token issued by one instance must open on every other: on PostgreSQL (several instances) the keys are rows
        // in the shared database; on SQLite (one instance) files in the data directory.
        var protection = services.AddDataProtection().SetApplicationName("fleet-api");
        if (database.IsPostgres) protection.PersistKeysToDbContext<PostgresFleetDb>();
        else protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        var lifetime = TimeSpan.FromMinutes(config.GetValue("Fleet:Auth:TokenMinutes", 8.0 * 60));
        var oidc = config.GetSection(HospitalSignIn.Section).Get<HospitalSignIn>() ?? new HospitalSignIn();
        services.AddAuthentication(oidc.Enabled ? HospitalSignIn.Selector : BearerTokenDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = lifetime)
            .AddHospitalSignIn(oidc);
        services.AddAuthorizationBuilder().AddFleetPolicies();
        services.AddMemoryCache();
        services.AddScoped<TokenIssuer>();
        services.AddSingleton<LoginThrottle>();
        // The client address is the one a trusted proxy (Fleet.Web, by default on this machine) forwards; without this,
        // every sign-in through the web app would share the web app's address and one guesser would throttle everyone.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.ForwardLimit = 1;
            foreach (var proxy in config.GetSection("Fleet:Auth:TrustedProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = config.GetValue("Fleet:Auth:LoginsPerMinute", 60),
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }

    private static AuthorizationBuilder AddFleetPolicies(this AuthorizationBuilder b)
    {
        foreach (var (name, roles) in Policies.RolesFor) b.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles));
        // Anything not explicitly opened up needs a signed-in user with a role.
        return b.SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().RequireRole(Policies.RolesFor[Policies.Read]).Build());
    }

    /// <summary>
    /// A token outlives nothing it was issued for: a deactivated user, or one whose password or roles changed,
    /// gets 401 on the next call (checked against a short cache, so this costs one lookup per user per 30 s).
    /// The hospital's identity provider answers for its own tokens: they expire there.
    /// </summary>
    public static IApplicationBuilder UseTokenRevocation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: not HospitalSignIn.Scheme })
        {
            var name = http.User.Identity.Name!;
            var stamp = http.User.FindFirstValue(StampClaim);
            var cache = http.RequestServices.GetRequiredService<IMemoryCache>();
            var current = await cache.GetOrCreateAsync("user-stamp:" + name, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
                var db = http.RequestServices.GetRequiredService<FleetDb>();
                var user = await db.Set<UserAccount>().AsNoTracking().FirstOrDefaultAsync(u => u.Username == name);
                return user is { Active: true } ? user.Stamp.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            });
            if (current is null || current != stamp)
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next(http);
    });

    public static void ForgetUser(this IMemoryCache cache, string username) => cache.Remove("user-stamp:" + username);
}
