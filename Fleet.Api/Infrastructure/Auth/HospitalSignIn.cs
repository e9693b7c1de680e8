using System.Security.Claims;
using Fleet.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Fleet.Api.Infrastructure.Auth;

/// <summary>
/// <c>Fleet:Auth:Oidc</c>: the hospital's identity provider. While <see cref="Authority"/> is empty it is off and only
/// Fleet's own tokens are accepted. Roles come from one claim of the provider's token, mapped value by value.
/// </summary>
public sealed class HospitalSignIn
{
    public const string Section = "Fleet:Auth:Oidc";

    /// <summary>The authentication scheme of provider tokens, and the authentication type of the identities it makes.</summary>
    public const string Scheme = "oidc";

    /// <summary>Chooses, per request, between Fleet's tokens and the provider's.</summary>
    public const string Selector = "fleet-or-oidc";

    /// <summary>The issuer, e.g. <c>https://login.hospital.example/realms/staff</c>; its discovery document names the keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the provider writes into access tokens for Fleet's API.</summary>
    public string? Audience { get; set; }

    /// <summary>The web app's client id; also accepted as audience (providers that issue tokens to the client).</summary>
    public string? ClientId { get; set; }

    /// <summary>The web app's client secret, if the provider registers it as a confidential client (PKCE is used either way).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the person's groups or roles.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the person in Fleet's audit trail (<c>sub</c> when it is missing).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Provider value to Fleet role, e.g. <c>RoleMap:VR-Nurses = nurse</c>. Values not in the map give no role.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyList<string> Audiences => new[] { Audience, ClientId }.OfType<string>().Where(a => a.Length > 0).ToList();

    /// <summary>Fails start-up on a configuration that would lock everyone out or let anyone in.</summary>
    public void Check()
    {
        if (!Enabled) return;
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"{Section}:{nameof(Authority)} must be an absolute URL, not '{Authority}'.");
        if (Audiences.Count == 0)
            throw new InvalidOperationException($"{Section}: set {nameof(Audience)} (or {nameof(ClientId)}): tokens for any audience would be accepted otherwise.");
        if (RoleMap.Count == 0)
            throw new InvalidOperationException($"{Section}:{nameof(RoleMap)} is empty: no one signing in with the provider would have a Fleet role.");
        foreach (var (value, role) in RoleMap)
            if (!Roles.All.Contains(role))
                throw new InvalidOperationException($"{Section}:{nameof(RoleMap)}:{value} maps to '{role}', which is not a Fleet role ({string.Join(", ", Roles.All)}).");
    }

    /// <summary>The person as Fleet sees them: named with a prefix so no provider account can pass for a local one.</summary>
    public ClaimsPrincipal Map(ClaimsPrincipal token)
    {
        var name = token.FindFirst(NameClaim)?.Value ?? token.FindFirst("sub")?.Value ?? "unknown";
        var identity = new ClaimsIdentity(Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, $"{Scheme}:{name}"));
        foreach (var claim in new[] { "iss", "sub" }.Select(token.FindFirst).OfType<Claim>()) identity.AddClaim(new Claim(claim.Type, claim.Value));
        var roles = token.FindAll(RoleClaim).Select(c => RoleMap.GetValueOrDefault(c.Value)).OfType<string>().Distinct();
        foreach (var role in roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return new ClaimsPrincipal(identity);
    }
}

public static class HospitalSignInSetup
{
    // Asymmetric signatures only: no "none", and no HMAC (the provider's public key must never work as a shared secret).
    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>JwtBearer for the provider's access tokens beside Fleet's own bearer tokens, when configured.</summary>
    public static AuthenticationBuilder AddHospitalSignIn(this AuthenticationBuilder auth, HospitalSignIn oidc)
    {
        oidc.Check();
        auth.Services.AddSingleton(oidc);
        if (!oidc.Enabled) return auth;

        // Fleet's tokens are data-protected base64url (no dots); a provider's access token is a JWT (dot-separated).
        auth.AddPolicyScheme(HospitalSignIn.Selector, "Fleet or hospital sign-in", o => o.ForwardDefaultSelector = http =>
            http.Request.Headers.Authorization.ToString() is { } h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && h.Contains('.')
                ? HospitalSignIn.Scheme
                : BearerTokenDefaults.AuthenticationScheme);
        auth.AddJwtBearer(HospitalSignIn.Scheme, o =>
        {
            o.Authority = oidc.Authority;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ValidAudiences = oidc.Audiences;
            o.TokenValidationParameters.ValidAlgorithms = Algorithms;
            o.TokenValidationParameters.RequireSignedTokens = true;
            o.TokenValidationParameters.RequireExpirationTime = true;
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
            o.Events = new JwtBearerEvents { OnTokenValidated = ctx => { ctx.Principal = oidc.Map(ctx.Principal!); return Task.CompletedTask; } };
        });
        // Expiry is judged by the application's clock, as for Fleet's own tokens (the library's own check reads the
        // system clock, and this version keeps its time-provider setting internal).
        auth.Services.AddOptions<JwtBearerOptions>(HospitalSignIn.Scheme).Configure<TimeProvider>((o, time) =>
            o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + p.ClockSkew && (notBefore is not { } nbf || nbf - p.ClockSkew <= now);
            });
        return auth;
    }
}
