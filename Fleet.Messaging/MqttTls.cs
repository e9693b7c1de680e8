using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Fleet.Messaging;

/// <summary>TLS settings the way Fleet configures them: trust the site's own CA (a PEM file) rather than the system store.</summary>
public static class MqttTls
{
    /// <summary>
    /// Turns TLS on and, with <paramref name="caFile"/>, trusts only that CA. A private CA publishes no revocation lists,
    /// so revocation is not checked against it (the chain and host name still are).
    /// </summary>
    public static MqttClientOptionsBuilder WithFleetTls(this MqttClientOptionsBuilder builder, string? caFile) =>
        builder.WithTlsOptions(tls =>
        {
            tls.UseTls();
            if (caFile is null) return;
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(caFile);
            tls.WithTrustChain(chain).WithIgnoreCertificateRevocationErrors();
        });
}
