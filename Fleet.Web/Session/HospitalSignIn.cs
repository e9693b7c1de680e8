using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Fleet.Web.Session;

/// <summary>
/// <c>Fleet:Auth:Oidc</c> (the same section the API reads): staff sign in with the hospital's identity provider,
/// authorization code flow with PKCE. The provider's access token becomes the API token in the session cookie; the
/// API maps the provider's roles, and the web app asks it who the person is (<c>GET /api/v1/auth/me</c>).
/// </summary>
public sealed class HospitalSignInOptions
{
    public const string Section = "Fleet:Auth:Oidc";
    public const string Scheme = "oidc";

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Scopes beyond <c>openid profile</c>, e.g. the one that makes the provider issue a token for Fleet's API.</summary>
    public string? Scopes { get; set; }

    /// <summary>What the sign-in button says: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "the hospital account";
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

public static class HospitalSignInSetup
{
    public const string CallbackPath = "/signin-oidc";

    public static AuthenticationBuilder AddHospitalSignIn(this AuthenticationBuilder auth, IConfiguration config)
    {
        var options = config.GetSection(HospitalSignInOptions.Section).Get<HospitalSignInOptions>() ?? new HospitalSignInOptions();
        auth.Services.AddSingleton(options);
        if (!options.Enabled) return auth;
        return auth.AddOpenIdConnect(HospitalSignInOptions.Scheme, o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.ResponseType = "code";
            o.UsePkce = true;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be Lax (not None).
            o.ResponseMode = "query";
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            foreach (var scope in $"openid profile {options.Scopes}".Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = BecomeFleetSessionAsync,
                OnRemoteFailure = ctx =>
                {
                    ctx.Response.Redirect("/signin?hospitalSignInFailed=true");
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The provider said who it is; the API says what they may do in Fleet. No Fleet role, no session.</summary>
    private static async Task BecomeFleetSessionAsync(TokenValidatedContext ctx)
    {
        var accessToken = ctx.TokenEndpointResponse?.AccessToken;
        if (string.IsNullOrEmpty(accessToken))
        {
            ctx.Fail("The identity provider issued no access token.");
            return;
        }
        var http = ctx.HttpContext.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient(ApiSetup.PlainClient);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ctx.HttpContext.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            ctx.Fail($"Fleet's API answered {(int)response.StatusCode} for this hospital account.");
            return;
        }
        var me = (await response.Content.ReadFromJsonAsync<WhoAmI>(FleetJson.Options, ctx.HttpContext.RequestAborted))!;
        var expires = ctx.TokenEndpointResponse!.ExpiresIn is { Length: > 0 } s && int.TryParse(s, out var seconds)
            ? DateTimeOffset.UtcNow.AddSeconds(seconds) : DateTimeOffset.UtcNow.AddHours(1);
        ctx.Principal = FleetSession.Principal(new TokenResponse(accessToken, expires, me.Roles, me.Username));
        // Land on a page of ours first, so the session cookie (SameSite=Strict) is sent with the next request.
        ctx.Properties!.RedirectUri = "/signin/done?returnUrl=" + Uri.EscapeDataString(ctx.Properties.RedirectUri ?? "/");
    }

    public static IEndpointRouteBuilder MapHospitalSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin/hospital", (string? returnUrl, HospitalSignInOptions options) => options.Enabled
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = Local(returnUrl) }, [HospitalSignInOptions.Scheme])
            : Results.LocalRedirect("/signin")).AllowAnonymous();
        // Anonymous on purpose: after a cross-site redirect chain the Strict session cookie is not sent to this page
        // (it is to the page it refreshes to, which "/" turns into the person's start page).
        app.MapGet("/signin/done", (string? returnUrl) =>
        {
            var target = Local(returnUrl);
            var html = $"""<!doctype html><meta http-equiv="refresh" content="0;url={System.Net.WebUtility.HtmlEncode(target)}"><title>Signing in · Fleet</title><p><a href="{System.Net.WebUtility.HtmlEncode(target)}">Continue</a></p>""";
            return Results.Content(html, "text/html; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Only back into this app: never an absolute or protocol-relative address from the query string.</summary>
    private static string Local(string? url) => url is { Length: > 1 } r && r[0] == '/' && r[1] is not ('/' or '\\') ? r : "/";
}
