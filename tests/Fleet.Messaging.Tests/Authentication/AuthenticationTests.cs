using Microsoft.Extensions.Logging;

namespace Fleet.Messaging.Tests.Authentication;

/// <summary>A broker with a password file (mosquitto_passwd) and no anonymous access.</summary>
public sealed class PasswordBroker : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        AllowAnonymous = false,
        Users = new Dictionary<string, string> { ["alice"] = "correct horse" },
    });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

public class AuthenticationTests(PasswordBroker fixture) : IClassFixture<PasswordBroker>
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task TheRightPasswordConnects()
    {
        using var client = Mqtt.NewClient();

        var result = await client.ConnectAsync(Broker.Options().WithCredentials("alice", "correct horse").Build(), Timeouts.Token());

        result.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedAndTheConnectionReportsTheReasonCode()
    {
        var log = new RecordingLogger();
        var refused = new TaskCompletionSource<ConnectAttemptFailed>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new ResilientMqttConnection(Broker.Options().WithCredentials("alice", "wrong").Build(),
            new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(20) }, log);
        connection.ConnectingFailed += failed =>
        {
            refused.TrySetResult(failed);
            return ValueTask.CompletedTask;
        };

        connection.Start();
        var failure = await refused.Task.WaitAsync(Timeouts.Default);

        var refusal = failure.Exception.ShouldBeOfType<BrokerRefusedException>();
        // Mosquitto 2.0 answers a wrong password with 0x87 Not authorized, not 0x86 Bad user name or password.
        refusal.Result.ResultCode.ShouldBe(MqttClientConnectResultCode.NotAuthorized);
        failure.AttemptNumber.ShouldBe(0);
        connection.IsConnected.ShouldBeFalse();
        log.Entries.ShouldContain(e => e.Level >= LogLevel.Warning && e.Message.Contains(nameof(MqttClientConnectResultCode.NotAuthorized)),
            "a refusal is logged with the broker's reason code");
    }

    [Fact]
    public async Task AnAnonymousConnectionIsRefused()
    {
        using var client = Mqtt.NewClient();

        var result = await client.ConnectAsync(Broker.Options().Build(), Timeouts.Token());

        result.ResultCode.ShouldBe(MqttClientConnectResultCode.NotAuthorized);
        client.IsConnected.ShouldBeFalse();
    }
}
