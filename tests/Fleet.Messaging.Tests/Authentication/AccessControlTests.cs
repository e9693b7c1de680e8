using Microsoft.Extensions.Logging;

namespace Fleet.Messaging.Tests.Authentication;

/// <summary>
/// Mosquitto's dynamic-security plugin, as Fleet's broker runs it: a client may subscribe only where its role allows.
/// (Mosquitto's acl_file does not refuse subscriptions; dynamic security answers SUBACK with a refusal.)
/// </summary>
public sealed class DynamicSecurityBroker : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { DynamicSecurityAdmin = ("admin", "admin-pw") });
        await Broker.DynamicSecurityAsync("createClient", "carol", "-p", "pw");
        await Broker.DynamicSecurityAsync("createRole", "telemetry");
        await Broker.DynamicSecurityAsync("addRoleACL", "telemetry", "subscribePattern", "allowed/#", "allow");
        await Broker.DynamicSecurityAsync("addRoleACL", "telemetry", "publishClientSend", "allowed/#", "allow");
        await Broker.DynamicSecurityAsync("addClientRole", "carol", "telemetry");
    }

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

public class AccessControlTests(DynamicSecurityBroker fixture) : IClassFixture<DynamicSecurityBroker>
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task ASubscriptionTheAclDeniesIsRefusedWithItsReasonCodeAndTheAllowedOneStillWorks()
    {
        using var client = await Broker.ConnectAsync(Broker.Options().WithCredentials("carol", "pw").Build());
        var received = new MessageCollector(client);

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Mqtt.Filter("allowed/telemetry/#"))
            .WithTopicFilter(Mqtt.Filter("forbidden/#"))
            .Build(), Timeouts.Token());

        result.Items.Select(i => (i.TopicFilter.Topic, i.ResultCode)).ShouldBe([
            ("allowed/telemetry/#", MqttClientSubscribeResultCode.GrantedQoS1),
            ("forbidden/#", MqttClientSubscribeResultCode.NotAuthorized),
        ]);
        client.IsConnected.ShouldBeTrue();
        await client.PublishAtLeastOnceAsync("allowed/telemetry/battery", "81");
        (await received.NextAsync()).Text().ShouldBe("81");
    }

    [Fact]
    public async Task TheResilientConnectionLogsADeniedSubscriptionWithItsReasonCodeAndKeepsTheAllowedOne()
    {
        var log = new RecordingLogger();
        await using var connection = new ResilientMqttConnection(Broker.Options("carol-api").WithCredentials("carol", "pw").Build(), log: log);
        var received = new MessageCollector(connection.Client);
        connection.Start();
        await connection.WaitUntilConnectedAsync(Timeouts.Token());

        await connection.SubscribeAsync([Mqtt.Filter("allowed/api/#"), Mqtt.Filter("forbidden/api/#")], Timeouts.Token());

        log.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Message.Contains("forbidden/api/#") && e.Message.Contains(nameof(MqttClientSubscribeResultCode.NotAuthorized)));
        log.Entries.ShouldNotContain(e => e.Message.Contains("allowed/api/#"));
        await connection.PublishAsync(Mqtt.Message("allowed/api/x", "through"), Timeouts.Token());
        (await received.NextAsync()).Text().ShouldBe("through");
    }

    [Fact]
    public async Task APublishTheAclDeniesIsRefusedWithItsReasonCodeAndLogged()
    {
        var log = new RecordingLogger();
        await using var connection = new ResilientMqttConnection(Broker.Options().WithCredentials("carol", "pw").Build(), log: log);
        connection.Start();

        var refused = await Should.ThrowAsync<PublishRefusedException>(() => connection.PublishAsync(Mqtt.Message("forbidden/x", "no"), Timeouts.Token()));

        refused.Result.ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized);
        log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("forbidden/x") && e.Message.Contains(nameof(MqttClientPublishReasonCode.NotAuthorized)));
        connection.IsConnected.ShouldBeTrue("a refused publish does not cost the connection");
    }
}
