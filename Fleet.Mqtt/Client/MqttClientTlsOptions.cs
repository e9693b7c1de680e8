using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Mqtt.Client;

/// <summary>TLS settings for <see cref="SslStream"/>; build with <see cref="MqttClientTlsOptionsBuilder"/>.</summary>
public sealed record MqttClientTlsOptions
{
    /// <summary>Whether to use TLS at all (true when the options exist, unless turned off).</summary>
    public bool UseTls { get; init; } = true;

    /// <summary>Name the server certificate must match; defaults to the broker host.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Allowed protocol versions; <see cref="SslProtocols.None"/> lets the OS choose.</summary>
    public SslProtocols SslProtocols { get; init; } = SslProtocols.None;

    /// <summary>
    /// CA certificates to trust instead of the system store (for example a private hospital CA). The server certificate
    /// must chain to one of them and match <see cref="TargetHost"/>. Revocation is not checked.
    /// </summary>
    public X509Certificate2Collection? TrustChain { get; init; }

    /// <summary>Client certificates (with private keys) for mutual TLS, or null.</summary>
    public X509Certificate2Collection? ClientCertificates { get; init; }

    /// <summary>Custom server certificate validation; when set it alone decides (return true to accept).</summary>
    public Func<MqttClientCertificateValidationEventArgs, bool>? CertificateValidationHandler { get; init; }
}

/// <summary>Arguments of <see cref="MqttClientTlsOptions.CertificateValidationHandler"/>.</summary>
/// <param name="Certificate">The server certificate, if it sent one.</param>
/// <param name="Chain">The chain .NET built for it.</param>
/// <param name="SslPolicyErrors">What .NET found wrong (with <see cref="MqttClientTlsOptions.TrustChain"/> applied).</param>
/// <param name="ClientOptions">The options of the connecting client.</param>
public sealed record MqttClientCertificateValidationEventArgs(
    X509Certificate? Certificate,
    X509Chain? Chain,
    SslPolicyErrors SslPolicyErrors,
    MqttClientOptions ClientOptions);

/// <summary>Fluent builder for <see cref="MqttClientTlsOptions"/>.</summary>
public sealed class MqttClientTlsOptionsBuilder
{
    private MqttClientTlsOptions _options = new();

    /// <summary>Turns TLS on (default once TLS options are configured) or off.</summary>
    public MqttClientTlsOptionsBuilder UseTls(bool useTls = true)
    {
        _options = _options with { UseTls = useTls };
        return this;
    }

    /// <summary>Sets the name the server certificate must match.</summary>
    public MqttClientTlsOptionsBuilder WithTargetHost(string targetHost)
    {
        _options = _options with { TargetHost = targetHost };
        return this;
    }

    /// <summary>Restricts the TLS protocol versions.</summary>
    public MqttClientTlsOptionsBuilder WithSslProtocols(SslProtocols protocols)
    {
        _options = _options with { SslProtocols = protocols };
        return this;
    }

    /// <summary>Trusts the CA certificate(s) in a PEM file (one or more certificates) instead of the system store.</summary>
    public MqttClientTlsOptionsBuilder WithCaFile(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new ArgumentException($"No certificate found in {path}.", nameof(path));
        }

        return WithTrustChain(certificates);
    }

    /// <summary>Trusts these CA certificates instead of the system store.</summary>
    public MqttClientTlsOptionsBuilder WithTrustChain(X509Certificate2Collection certificates)
    {
        _options = _options with { TrustChain = certificates };
        return this;
    }

    /// <summary>Presents a client certificate (it must have its private key).</summary>
    public MqttClientTlsOptionsBuilder WithClientCertificate(X509Certificate2 certificate)
    {
        var certificates = new X509Certificate2Collection(_options.ClientCertificates ?? []) { certificate };
        _options = _options with { ClientCertificates = certificates };
        return this;
    }

    /// <summary>Presents a client certificate loaded from PEM certificate and key files.</summary>
    public MqttClientTlsOptionsBuilder WithClientCertificateFromPemFiles(string certificatePath, string keyPath) =>
        WithClientCertificate(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));

    /// <summary>Decides about the server certificate with custom code (return true to accept).</summary>
    public MqttClientTlsOptionsBuilder WithCertificateValidationHandler(Func<MqttClientCertificateValidationEventArgs, bool> handler)
    {
        _options = _options with { CertificateValidationHandler = handler };
        return this;
    }

    /// <summary>Builds the options.</summary>
    public MqttClientTlsOptions Build() => _options;
}
