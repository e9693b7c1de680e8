using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Testing.Tls;

/// <summary>A throwaway certificate authority (ECDSA P-256) that issues server and client certificates for TLS tests.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private TestCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The self-signed CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA valid from yesterday for one year.</summary>
    public static TestCertificateAuthority Create(string commonName = "Fleet Test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)), key);
    }

    /// <summary>Issues a server certificate for the given DNS names and IP addresses (subject alternative names).</summary>
    public X509Certificate2 IssueServerCertificate(params string[] names) =>
        Issue(names.Length > 0 ? names[0] : "localhost", names, "1.3.6.1.5.5.7.3.1");

    /// <summary>Issues a client certificate (for mutual TLS).</summary>
    public X509Certificate2 IssueClientCertificate(string commonName) => Issue(commonName, [], "1.3.6.1.5.5.7.3.2");

    /// <summary>Writes the CA certificate as PEM.</summary>
    public void WriteCertificatePem(string path) => File.WriteAllText(path, Certificate.ExportCertificatePem());

    /// <summary>Writes a certificate and its private key (unencrypted PKCS#8) as PEM files, as Mosquitto wants them.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Issue(string commonName, string[] names, string extendedKeyUsageOid)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (names.Length > 0)
        {
            var alternativeNames = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var address))
                {
                    alternativeNames.AddIpAddress(address);
                }
                else
                {
                    alternativeNames.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(alternativeNames.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate, now.AddDays(-1), now.AddMonths(6), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
