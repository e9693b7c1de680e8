using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Testing.Identity;

/// <summary>
/// A hospital identity provider for tests, on 127.0.0.1 and a free port, with its own signing key: discovery, JWKS,
/// and an authorization-code flow with PKCE (S256) that signs in <see cref="NextUser"/> without a login form. Tests
/// also mint access tokens with it directly, including broken ones.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private TestIdentityProvider(WebApplication app)
    {
        _app = app;
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
    }

    public RsaSecurityKey Key { get; }
    public string Issuer { get; private set; } = "";

    /// <summary>The audience written into access tokens, as the provider would for Fleet's API.</summary>
    public string ApiAudience { get; set; } = "fleet-api";

    /// <summary>Who the next browser sign-in is, and the values of their roles claim.</summary>
    public (string Username, string[] Roles) NextUser { get; set; } = ("alice", []);

    /// <summary>Every authorisation request's PKCE method, to show the client used S256.</summary>
    public ConcurrentQueue<string?> ChallengeMethods { get; } = new();

    private sealed record Grant(string ClientId, string RedirectUri, string Challenge, string? Nonce, string Username, string[] Roles);

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new TestIdentityProvider(app);
        app.MapGet("/.well-known/openid-configuration", idp.Discovery);
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(idp._rsa.ExportParameters(false)) { KeyId = idp.Key.KeyId }) } }));
        app.MapGet("/authorize", idp.Authorize);
        app.MapPost("/token", idp.TokenAsync);
        await app.StartAsync();
        idp.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return idp;
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = $"{Issuer}/jwks",
        ["authorization_endpoint"] = $"{Issuer}/authorize",
        ["token_endpoint"] = $"{Issuer}/token",
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["scopes_supported"] = new[] { "openid", "profile" },
    });

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        ChallengeMethods.Enqueue(q["code_challenge_method"]);
        if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
            return Results.BadRequest("code flow with PKCE (S256) only");
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(q["client_id"]!, q["redirect_uri"]!, q["code_challenge"]!, q["nonce"], NextUser.Username, NextUser.Roles);
        var separator = q["redirect_uri"].ToString().Contains('?') ? '&' : '?';
        return Results.Redirect($"{q["redirect_uri"]}{separator}code={code}&state={Uri.EscapeDataString(q["state"]!)}&iss={Uri.EscapeDataString(Issuer)}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"]!, out var grant))
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var verifier = form["code_verifier"].ToString();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (challenge != grant.Challenge || form["redirect_uri"] != grant.RedirectUri)
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE or redirect_uri mismatch" }, statusCode: 400);
        var claims = new Dictionary<string, object> { ["sub"] = $"sub-{grant.Username}", ["preferred_username"] = grant.Username };
        if (grant.Nonce is not null) claims["nonce"] = grant.Nonce;
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["id_token"] = Mint(grant.Username, [], audience: grant.ClientId, extra: claims),
            ["access_token"] = Mint(grant.Username, grant.Roles),
        });
    }

    /// <summary>An access token signed with this provider's key (or <paramref name="key"/>); null <paramref name="key"/> with <paramref name="unsigned"/> gives <c>alg: none</c>.</summary>
    public string Mint(string username, string[] roles, string? audience = null, string? issuer = null, DateTime? now = null,
        TimeSpan? lifetime = null, SecurityKey? key = null, bool unsigned = false, string roleClaim = "roles", IDictionary<string, object>? extra = null)
    {
        var at = now ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = $"sub-{username}", ["preferred_username"] = username, [roleClaim] = roles };
        foreach (var (k, v) in extra ?? new Dictionary<string, object>()) claims[k] = v;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? ApiAudience,
            IssuedAt = at,
            NotBefore = at,
            Expires = at + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = claims,
            SigningCredentials = unsigned ? null : new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
