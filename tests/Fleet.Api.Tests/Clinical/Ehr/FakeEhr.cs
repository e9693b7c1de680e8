using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Api.Tests.Clinical.Ehr;

/// <summary>
/// A tiny FHIR endpoint on 127.0.0.1 and a free port: it accepts PUT {base}/{type}/{id}, or answers 503 while it is
/// down (for its first <c>failFirst</c> requests, or while <see cref="Down"/> is set). With <see cref="RequireAuthorization"/>
/// it is also the EHR's SMART authorisation server: POST {root}/auth/token takes client credentials with a signed client
/// assertion, checked against the public key registered in <see cref="ClientKey"/>, and PUTs need one of its tokens.
/// </summary>
public sealed class FakeEhr : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _changed = new(0);
    private int _failuresLeft;

    private FakeEhr(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public volatile bool Down;

    /// <summary>Resource types this EHR refuses with 422, as an EHR does with a resource it cannot take.</summary>
    public HashSet<string> Refuses { get; } = [];
    public ConcurrentDictionary<string, JsonObject> Stored { get; } = new();
    public ConcurrentQueue<(string Path, int Status)> Requests { get; } = new();
    public int Failures => Requests.Count(r => r.Status == StatusCodes.Status503ServiceUnavailable);
    public string BaseUrl { get; private set; } = "";
    public string TokenUrl { get; private set; } = "";

    public bool RequireAuthorization { get; set; }
    public string ClientId { get; set; } = "fleet";

    /// <summary>The public key the EHR registered for <see cref="ClientId"/>.</summary>
    public SecurityKey? ClientKey { get; set; }
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock the authorisation server judges assertions and tokens by (the API's, so tests can move it).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Every token request: the assertion's claims when it was valid (null when refused), and the scope asked for.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, object>? Assertion, string? Scope, string? Kid, string? Alg)> TokenRequests { get; } = new();
    public ConcurrentDictionary<string, DateTimeOffset> Tokens { get; } = new();
    public ConcurrentQueue<string> Assertions { get; } = new();
    public ConcurrentQueue<string?> Authorizations { get; } = new();
    public int Unauthorized => Requests.Count(r => r.Status == StatusCodes.Status401Unauthorized);
    private readonly ConcurrentDictionary<string, bool> _usedJti = new();

    /// <summary>The EHR drops every token it issued (as after a key rotation or a revocation).</summary>
    public void RevokeTokens() => Tokens.Clear();

    public static async Task<FakeEhr> StartAsync(int failFirst = 0, bool down = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ehr = new FakeEhr(app, failFirst) { Down = down };
        app.MapPut("/fhir/{type}/{id}", ehr.PutAsync);
        app.MapPost("/auth/token", ehr.TokenAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        ehr.BaseUrl = address + "/fhir";
        ehr.TokenUrl = address + "/auth/token";
        return ehr;
    }

    private async Task<IResult> PutAsync(string type, string id, HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        Authorizations.Enqueue(authorization);
        if (RequireAuthorization && !(authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && Tokens.TryGetValue(authorization["Bearer ".Length..], out var expires) && Clock.GetUtcNow() < expires))
        {
            Requests.Enqueue((request.Path, StatusCodes.Status401Unauthorized));
            _changed.Release();
            return Results.Text("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}""", "application/fhir+json",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        var body = (JsonObject)(await JsonNode.ParseAsync(request.Body))!;
        var status = Down || Interlocked.Decrement(ref _failuresLeft) >= 0 ? StatusCodes.Status503ServiceUnavailable
            : Refuses.Contains(type) ? StatusCodes.Status422UnprocessableEntity
            : StatusCodes.Status200OK;
        if (status == StatusCodes.Status200OK) Stored[$"{type}/{id}"] = body;
        Requests.Enqueue((request.Path, status));
        _changed.Release();
        return status == StatusCodes.Status200OK
            ? Results.Text(body.ToJsonString(), "application/fhir+json")
            : Results.Text($$"""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"{{(status == 503 ? "transient" : "business-rule")}}"}]}""",
                "application/fhir+json", statusCode: status);
    }

    /// <summary>SMART Backend Services token endpoint: client credentials with a private_key_jwt client assertion (RFC 7523).</summary>
    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var scope = (string?)form["scope"];
        string? kid = null, alg = null;
        try
        {
            if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                return Refuse("unsupported_grant_type", StatusCodes.Status400BadRequest);
            var handler = new JsonWebTokenHandler();
            Assertions.Enqueue(form["client_assertion"]!);
            var jwt = handler.ReadJsonWebToken(form["client_assertion"]!);
            (kid, alg) = (jwt.Kid, jwt.Alg);
            var result = await handler.ValidateTokenAsync(jwt, new TokenValidationParameters
            {
                ValidIssuer = ClientId,
                ValidAudience = TokenUrl,
                IssuerSigningKey = ClientKey,
                ValidAlgorithms = ["RS384", "ES384"],
                LifetimeValidator = (nbf, exp, _, _) => exp is { } e && Clock.GetUtcNow().UtcDateTime < e && e - Clock.GetUtcNow().UtcDateTime <= TimeSpan.FromMinutes(5),
            });
            if (!result.IsValid || (string?)result.Claims["sub"] != ClientId || !_usedJti.TryAdd((string)result.Claims["jti"], true))
                return Refuse("invalid_client", StatusCodes.Status401Unauthorized);
            TokenRequests.Enqueue((result.Claims.ToDictionary(), scope, kid, alg));
            var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            Tokens[token] = Clock.GetUtcNow() + TokenLifetime;
            _changed.Release();
            return Results.Json(new Dictionary<string, object?>
            {
                ["access_token"] = token, ["token_type"] = "bearer", ["expires_in"] = (int)TokenLifetime.TotalSeconds, ["scope"] = scope,
            });
        }
        catch (ArgumentException)
        {
            return Refuse("invalid_client", StatusCodes.Status401Unauthorized);
        }

        IResult Refuse(string error, int status)
        {
            TokenRequests.Enqueue((null, scope, kid, alg));
            _changed.Release();
            return Results.Json(new { error, error_description = "The client assertion was not accepted." }, statusCode: status);
        }
    }

    public IReadOnlyList<JsonObject> StoredOf(string type) =>
        Stored.Where(kv => kv.Key.StartsWith(type + "/", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();

    /// <summary>Waits, request by request, until the condition holds; fails after the timeout.</summary>
    public async Task WaitUntilAsync(Func<FakeEhr, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(this))
        {
            try { await _changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"The EHR did not get there in time; it saw {string.Join(", ", Requests)}."); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
