using System.Security.Cryptography.X509Certificates;
using Fleet.Testing;
using Fleet.Testing.Tls;

namespace Fleet.Messaging.Tests.Tls;

/// <summary>
/// Two Mosquitto TLS listeners with certificates from a throwaway CA: one for 127.0.0.1 and localhost, one for
/// another host name only. Clients connect to 127.0.0.1, so the TLS target host is the address they dial.
/// </summary>
public sealed class TlsBrokers : IAsyncLifetime
{
    private readonly TempDirectory _files = new();

    public TestCertificateAuthority Authority { get; } = TestCertificateAuthority.Create();

    public string CaFile => _files.File("ca.pem");

    public MosquittoBroker Broker { get; private set; } = null!;

    /// <summary>Its certificate, from the same CA, names only mqtt.other-hospital.example.</summary>
    public MosquittoBroker OtherHostBroker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Authority.WriteCertificatePem(CaFile);
        Broker = await StartAsync("server", "localhost", "127.0.0.1");
        OtherHostBroker = await StartAsync("other", "mqtt.other-hospital.example");
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await OtherHostBroker.DisposeAsync();
        Authority.Dispose();
        _files.Dispose();
    }

    private async Task<MosquittoBroker> StartAsync(string name, params string[] hostNames)
    {
        using var certificate = Authority.IssueServerCertificate(hostNames);
        TestCertificateAuthority.WritePem(certificate, _files.File($"{name}.pem"), _files.File($"{name}.key"));
        return await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            Tls = new MosquittoTlsOptions(CaFile, _files.File($"{name}.pem"), _files.File($"{name}.key")),
        });
    }
}

public class TlsTests(TlsBrokers brokers) : IClassFixture<TlsBrokers>
{
    [Fact]
    public async Task PublishAndSubscribeWorkOverTlsWhenTrustingTheCaFile()
    {
        using var client = Mqtt.NewClient();
        var received = new MessageCollector(client);

        var result = await client.ConnectAsync(TlsOptions(brokers.Broker, brokers.CaFile), Timeouts.Token());
        result.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        await client.SubscribeAtLeastOnceAsync("secure/#");
        await client.PublishAtLeastOnceAsync("secure/vitals", "encrypted");

        (await received.NextAsync()).Text().ShouldBe("encrypted");
    }

    [Fact]
    public async Task AServerCertificateFromAnUntrustedCaIsRejected()
    {
        using var otherAuthority = TestCertificateAuthority.Create("Someone Else");
        using var files = new TempDirectory();
        otherAuthority.WriteCertificatePem(files.File("other-ca.pem"));

        await ShouldBeRejectedAsync(TlsOptions(brokers.Broker, files.File("other-ca.pem")));
    }

    [Fact]
    public async Task AServerCertificateForAnotherHostNameIsRejectedEvenFromTheTrustedCa()
    {
        await ShouldBeRejectedAsync(TlsOptions(brokers.OtherHostBroker, brokers.CaFile));

        // The same broker is accepted under the name its certificate carries: the name was the only thing wrong.
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(brokers.CaFile);
        using var client = Mqtt.NewClient();
        var named = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", brokers.OtherHostBroker.TlsPort)
            .WithClientId(Mqtt.UniqueClientId("tls"))
            .WithTlsOptions(tls => tls.UseTls().WithTrustChain(trust).WithIgnoreCertificateRevocationErrors().WithTargetHost("mqtt.other-hospital.example"))
            .Build();
        (await client.ConnectAsync(named, Timeouts.Token())).ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
    }

    [Fact]
    public async Task WithoutACaFileTheSystemStoreDoesNotTrustThePrivateCa()
    {
        await ShouldBeRejectedAsync(TlsOptions(brokers.Broker, caFile: null));
    }

    [Fact]
    public async Task TheResilientConnectionReportsARejectedCertificateAndKeepsRetrying()
    {
        using var files = new TempDirectory();
        using var otherAuthority = TestCertificateAuthority.Create("Someone Else");
        otherAuthority.WriteCertificatePem(files.File("other-ca.pem"));
        var failures = new List<ConnectAttemptFailed>();
        var twoFailures = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new ResilientMqttConnection(TlsOptions(brokers.Broker, files.File("other-ca.pem")),
            new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) });
        connection.ConnectingFailed += failed =>
        {
            lock (failures)
            {
                failures.Add(failed);
                if (failures.Count == 2) twoFailures.TrySetResult();
            }

            return ValueTask.CompletedTask;
        };

        connection.Start();
        await twoFailures.Task.WaitAsync(Timeouts.Default);

        connection.IsConnected.ShouldBeFalse();
        lock (failures) failures.ShouldAllBe(f => f.Exception is MQTTnet.Exceptions.MqttCommunicationException);
    }

    private static MqttClientOptions TlsOptions(MosquittoBroker broker, string? caFile) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", broker.TlsPort)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(Mqtt.UniqueClientId("tls"))
        .WithTimeout(Timeouts.Default)
        .WithFleetTls(caFile)
        .Build();

    private static async Task ShouldBeRejectedAsync(MqttClientOptions options)
    {
        using var client = Mqtt.NewClient();
        var exception = await Should.ThrowAsync<Exception>(() => client.ConnectAsync(options, Timeouts.Token()));
        Flatten(exception).ShouldContain(e => e is System.Security.Authentication.AuthenticationException, exception.ToString());
        client.IsConnected.ShouldBeFalse();
    }

    private static IEnumerable<Exception> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
