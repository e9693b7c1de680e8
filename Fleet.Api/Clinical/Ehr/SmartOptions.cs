namespace Fleet.Api.Clinical.Ehr;

/// <summary>
/// <c>Fleet:Ehr:Smart</c>: SMART Backend Services (client credentials with a <c>private_key_jwt</c> client assertion).
/// Off while <see cref="TokenUrl"/> is empty; the push then sends no authentication.
/// </summary>
public sealed class SmartOptions
{
    /// <summary>The EHR authorisation server's token endpoint (the <c>token_endpoint</c> of its .well-known/smart-configuration).</summary>
    public string? TokenUrl { get; set; }

    /// <summary>The client id the EHR registered for Fleet.</summary>
    public string? ClientId { get; set; }

    /// <summary>Space-separated, e.g. <c>system/Device.write system/DeviceUseStatement.write system/AdverseEvent.write</c>.</summary>
    public string Scopes { get; set; } = "system/Device.write system/DeviceUseStatement.write system/AdverseEvent.write";

    /// <summary>A PEM file with Fleet's private key (RSA, signs RS384; or EC P-384, signs ES384). Never in the repository.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The <c>kid</c> the EHR knows the public key by; the key's JWK thumbprint (RFC 7638) when empty.</summary>
    public string? KeyId { get; set; }

    /// <summary>A token is renewed this long before it expires, so no request goes out with a token about to lapse.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SMART allows at most five minutes.</summary>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(TokenUrl);

    public void Check(string section)
    {
        if (!Enabled) return;
        if (!Uri.TryCreate(TokenUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{section}:{nameof(TokenUrl)} must be an absolute http(s) URL, not '{TokenUrl}'.");
        if (string.IsNullOrWhiteSpace(ClientId)) throw new InvalidOperationException($"{section}:{nameof(ClientId)} is required with a {nameof(TokenUrl)}.");
        if (string.IsNullOrWhiteSpace(PrivateKeyPath) || !File.Exists(PrivateKeyPath))
            throw new InvalidOperationException($"{section}:{nameof(PrivateKeyPath)} must name Fleet's private key file (PEM); '{PrivateKeyPath}' does not exist.");
        if (AssertionLifetime <= TimeSpan.Zero || AssertionLifetime > TimeSpan.FromMinutes(5))
            throw new InvalidOperationException($"{section}:{nameof(AssertionLifetime)} must be more than 0 and at most 5 minutes.");
    }
}
