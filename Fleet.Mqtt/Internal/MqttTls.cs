using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Fleet.Mqtt.Client;

namespace Fleet.Mqtt.Internal;

internal static class MqttTls
{
    public static SslClientAuthenticationOptions CreateAuthenticationOptions(MqttClientOptions options)
    {
        var tls = options.TlsOptions!;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? options.Host,
            EnabledSslProtocols = tls.SslProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        if (tls.ClientCertificates is { Count: > 0 } clientCertificates)
        {
            authentication.ClientCertificates = new X509CertificateCollection(clientCertificates.ToArray());
        }

        if (tls.TrustChain is { Count: > 0 } trustChain)
        {
            // .NET validates against this policy, so SslPolicyErrors already reflects the private CA.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(trustChain);
            authentication.CertificateChainPolicy = policy;
        }

        if (tls.CertificateValidationHandler is { } handler)
        {
            authentication.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                handler(new MqttClientCertificateValidationEventArgs(certificate, chain, errors, options));
        }

        return authentication;
    }
}
