using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Api.Clinical.Ehr;

/// <summary>The authorisation server refused Fleet's credentials: only a person can fix that (register the key, the client).</summary>
public sealed class SmartAuthorizationException(string message) : Exception(message);

/// <summary>
/// Gets access tokens from the EHR's authorisation server the SMART Backend Services way and keeps one until shortly
/// before it expires. Tokens and assertions stay in memory: never logged, never stored.
/// </summary>
public sealed class SmartTokenClient : IDisposable
{
    public const string HttpClientName = "ehr-auth";
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly SmartOptions _options;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly SigningCredentials _signing;
    private readonly AsymmetricAlgorithm _key;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly JsonWebTokenHandler _jwt = new();
    private (string Token, DateTimeOffset RenewAt)? _current;

    public SmartTokenClient(IOptions<EhrOptions> options, IHttpClientFactory clients, TimeProvider time)
    {
        _options = options.Value.Smart;
        _clients = clients;
        _time = time;
        (_key, _signing) = LoadKey(_options.PrivateKeyPath!, _options.KeyId);
    }

    /// <summary>A valid token: the cached one, or a new one when it is about to expire or the EHR said it no longer holds.</summary>
    public async Task<string> GetTokenAsync(string? refused, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } c && c.Token != refused && _time.GetUtcNow() < c.RenewAt) return c.Token;
            var (token, expiresIn) = await RequestAsync(ct);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            // Renew ahead of expiry, but never use a short-lived token for less than half its life.
            var margin = _options.RefreshBefore < lifetime / 2 ? _options.RefreshBefore : lifetime / 2;
            _current = (token, _time.GetUtcNow() + lifetime - margin);
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<(string Token, double ExpiresIn)> RequestAsync(CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = _options.Scopes,
            ["client_assertion_type"] = AssertionType,
            ["client_assertion"] = Assertion(),
        });
        using var response = await _clients.CreateClient(HttpClientName).PostAsync(_options.TokenUrl, form, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        TokenResponse? answer = null;
        try { answer = JsonSerializer.Deserialize<TokenResponse>(body); }
        catch (JsonException) { /* reported below */ }
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"The authorisation server answered {(int)response.StatusCode}.");
        if (!response.IsSuccessStatusCode || answer?.AccessToken is not { Length: > 0 } token)
        {
            var why = answer?.Error is { } e ? $"{e}{(answer.ErrorDescription is { } d ? $" ({Trim(d)})" : "")}" : Trim(body);
            throw new SmartAuthorizationException(
                $"The EHR's authorisation server ({_options.TokenUrl}) refused Fleet's client credentials for client '{_options.ClientId}': "
                + $"{(int)response.StatusCode} {why}. Register Fleet's public key (kid '{_signing.Key.KeyId}') with the EHR, or check Fleet:Ehr:Smart.");
        }
        if (!string.Equals(answer.TokenType, "bearer", StringComparison.OrdinalIgnoreCase))
            throw new SmartAuthorizationException($"The EHR's authorisation server issued a '{answer.TokenType}' token; SMART Backend Services needs a bearer token.");
        return (token, answer.ExpiresIn is > 0 ? answer.ExpiresIn.Value : 300);
    }

    /// <summary>The signed JWT that proves the request comes from the holder of Fleet's private key (SMART, RFC 7523).</summary>
    private string Assertion()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Audience = _options.TokenUrl,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AssertionLifetime,
            Claims = new Dictionary<string, object> { ["sub"] = _options.ClientId!, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = _signing,
            TokenType = "JWT",
        });
    }

    /// <summary>An EC key (P-384, ES384) or an RSA key (RS384): the two SMART Backend Services asks servers to accept.</summary>
    private static (AsymmetricAlgorithm, SigningCredentials) LoadKey(string path, string? keyId)
    {
        var pem = File.ReadAllText(path);
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            var key = new ECDsaSecurityKey(ec);
            key.KeyId = keyId ?? Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
            return (ec, new SigningCredentials(key, SecurityAlgorithms.EcdsaSha384));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"{path} holds no RSA or EC private key in PEM form.", e);
        }
        var rsaKey = new RsaSecurityKey(rsa);
        rsaKey.KeyId = keyId ?? Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(rsaKey).ComputeJwkThumbprint());
        return (rsa, new SigningCredentials(rsaKey, SecurityAlgorithms.RsaSha384));
    }

    private static string Trim(string text) => text.Length > 300 ? text[..300] : text;

    public void Dispose()
    {
        _key.Dispose();
        _lock.Dispose();
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("token_type")] string? TokenType,
        [property: JsonPropertyName("expires_in")] double? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}

/// <summary>Puts the access token on every request to the EHR; on 401 gets a fresh token and tries once more.</summary>
internal sealed class SmartAuthHandler(SmartTokenClient tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var token = await tokens.GetTokenAsync(null, ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, ct);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized) return response;

        // Expired early or revoked at the EHR: one fresh token, one more try (the body is a byte array, safe to resend).
        response.Dispose();
        var retry = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
        foreach (var h in request.Headers) retry.Headers.TryAddWithoutValidation(h.Key, h.Value);
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(token, ct));
        return await base.SendAsync(retry, ct);
    }
}
