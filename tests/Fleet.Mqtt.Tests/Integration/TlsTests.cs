using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Tests.Support;
using Fleet.Testing.Broker;
using Fleet.Testing.Tls;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Integration;

/// <summary>A CA and server certificate made with .NET's CertificateRequest, and two Mosquitto TLS listeners using them.</summary>
public sealed class TlsMosquittoFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-tls-").FullName;

    public TestCertificateAuthority Authority { get; } = TestCertificateAuthority.Create();

    public string CaFile => Path.Combine(_directory, "ca.pem");

    public MosquittoBroker Broker { get; private set; } = null!;

    /// <summary>Requires a client certificate signed by the CA.</summary>
    public MosquittoBroker MutualBroker { get; private set; } = null!;

    public X509Certificate2 ClientCertificate { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Authority.WriteCertificatePem(CaFile);
        using var server = Authority.IssueServerCertificate("localhost", "127.0.0.1");
        var certificateFile = Path.Combine(_directory, "server.pem");
        var keyFile = Path.Combine(_directory, "server.key");
        TestCertificateAuthority.WritePem(server, certificateFile, keyFile);
        ClientCertificate = Authority.IssueClientCertificate("headset-7");

        Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { Tls = new MosquittoTlsOptions(CaFile, certificateFile, keyFile) });
        MutualBroker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            Tls = new MosquittoTlsOptions(CaFile, certificateFile, keyFile, RequireClientCertificate: true),
        });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await MutualBroker.DisposeAsync();
        ClientCertificate.Dispose();
        Authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

public class TlsTests(TlsMosquittoFixture fixture) : IClassFixture<TlsMosquittoFixture>
{
    private MqttClientOptionsBuilder TlsOptions(MosquittoBroker broker, Action<MqttClientTlsOptionsBuilder> tls) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", broker.TlsPort)
        .WithTimeout(TimeSpan.FromSeconds(5))
        .WithTlsOptions(tls);

    [Fact]
    public async Task PublishAndSubscribeWorkOverTlsWhenTrustingTheCaFile()
    {
        await using var client = new MqttClient();
        var collector = new MessageCollector();
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await client.ConnectAsync(TlsOptions(fixture.Broker, tls => tls.WithCaFile(fixture.CaFile).WithTargetHost("localhost")).Build());
        await client.SubscribeAsync("secure/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await client.PublishAsync(ClientHelpers.Message("secure/vitals", "encrypted"));

        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("encrypted");
    }

    [Fact]
    public async Task ServerCertificateFromAnUntrustedCaIsRejected()
    {
        using var otherAuthority = TestCertificateAuthority.Create("Someone Else");
        await using var client = new MqttClient();

        await Should.ThrowAsync<MqttCommunicationException>(() => client.ConnectAsync(
            TlsOptions(fixture.Broker, tls => tls.WithTrustChain([otherAuthority.Certificate]).WithTargetHost("localhost")).Build()));
        client.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task ServerCertificateForAnotherHostNameIsRejected()
    {
        await using var client = new MqttClient();

        await Should.ThrowAsync<MqttCommunicationException>(() => client.ConnectAsync(
            TlsOptions(fixture.Broker, tls => tls.WithCaFile(fixture.CaFile).WithTargetHost("mqtt.other-hospital.example")).Build()));
    }

    [Fact]
    public async Task WithoutTrustSettingsTheSystemStoreRejectsTheTestCa()
    {
        await using var client = new MqttClient();

        await Should.ThrowAsync<MqttCommunicationException>(() => client.ConnectAsync(TlsOptions(fixture.Broker, tls => tls.WithTargetHost("localhost")).Build()));
    }

    [Fact]
    public async Task CustomValidationCallbackDecides()
    {
        MqttClientCertificateValidationEventArgs? seen = null;
        await using var client = new MqttClient();
        var options = TlsOptions(fixture.Broker, tls => tls.WithTargetHost("localhost").WithCertificateValidationHandler(args =>
        {
            seen = args;
            return args.Certificate is X509Certificate2 certificate && certificate.Issuer == fixture.Authority.Certificate.Subject;
        })).Build();

        await client.ConnectAsync(options);

        client.IsConnected.ShouldBeTrue();
        seen!.SslPolicyErrors.ShouldBe(SslPolicyErrors.RemoteCertificateChainErrors); // unknown CA to the system store
    }

    [Fact]
    public async Task MutualTlsPresentsTheClientCertificate()
    {
        await using var withCertificate = new MqttClient();
        await withCertificate.ConnectAsync(TlsOptions(fixture.MutualBroker, tls => tls
            .WithCaFile(fixture.CaFile).WithTargetHost("localhost").WithClientCertificate(fixture.ClientCertificate)).Build());
        withCertificate.IsConnected.ShouldBeTrue();
        await withCertificate.PingAsync();

        await using var withoutCertificate = new MqttClient();
        await Should.ThrowAsync<MqttCommunicationException>(() => withoutCertificate.ConnectAsync(
            TlsOptions(fixture.MutualBroker, tls => tls.WithCaFile(fixture.CaFile).WithTargetHost("localhost")).Build()));
    }
}
