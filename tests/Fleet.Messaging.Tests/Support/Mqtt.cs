using Fleet.Testing.Broker;

namespace Fleet.Messaging.Tests.Support;

/// <summary>MQTTnet clients against a test broker, configured the way Fleet's own clients are (MQTT 5).</summary>
internal static class Mqtt
{
    /// <summary>Session expiry Fleet's persistent clients ask for in these tests (long enough to outlive any test).</summary>
    public const uint SessionExpirySeconds = 600;

    /// <summary>The queue limits of infra/broker's configuration: queued QoS 1 messages are never dropped.</summary>
    public static readonly string[] FleetBrokerLimits = ["max_queued_messages 0", "max_queued_bytes 0", "max_inflight_messages 10000"];

    public static MqttClientOptionsBuilder Options(this MosquittoBroker broker, string? clientId = null) => new MqttClientOptionsBuilder()
        .WithTcpServer(broker.Host, broker.Port)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(clientId ?? UniqueClientId())
        .WithTimeout(Timeouts.Default);

    /// <summary>A persistent session: resumed on reconnect (clean start off) and kept for a while after a disconnect.</summary>
    public static MqttClientOptionsBuilder PersistentOptions(this MosquittoBroker broker, string clientId) =>
        broker.Options(clientId).WithCleanStart(false).WithSessionExpiryInterval(SessionExpirySeconds);

    public static IMqttClient NewClient() => new MqttClientFactory().CreateMqttClient();

    public static async Task<IMqttClient> ConnectAsync(this MosquittoBroker broker, MqttClientOptions? options = null)
    {
        var client = NewClient();
        var result = await client.ConnectAsync(options ?? broker.Options().Build(), Timeouts.Token());
        result.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
        return client;
    }

    /// <summary>Subscribes at QoS 1 and checks the broker granted it.</summary>
    public static async Task SubscribeAtLeastOnceAsync(this IMqttClient client, string filter, MqttRetainHandling retainHandling = MqttRetainHandling.SendAtSubscribe)
    {
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS().WithRetainHandling(retainHandling))
            .Build();
        var result = await client.SubscribeAsync(options, Timeouts.Token());
        result.Items.Single().ResultCode.ShouldBe(MqttClientSubscribeResultCode.GrantedQoS1);
    }

    public static async Task PublishAtLeastOnceAsync(this IMqttClient client, string topic, string payload, bool retain = false)
    {
        var result = await client.PublishAsync(Message(topic, payload, retain), Timeouts.Token());
        result.IsSuccess.ShouldBeTrue($"publish to {topic}: {result.ReasonCode}");
    }

    public static MqttApplicationMessage Message(string topic, string payload, bool retain = false) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag(retain)
        .Build();

    public static MqttTopicFilter Filter(string topic) => new MqttTopicFilterBuilder().WithTopic(topic).WithAtLeastOnceQoS().Build();

    public static string UniqueTopic(string prefix) => $"test/{prefix}/{Guid.NewGuid():N}";

    public static string UniqueClientId(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    public static string Text(this MqttApplicationMessageReceivedEventArgs e) => e.ApplicationMessage.ConvertPayloadToString();
}
