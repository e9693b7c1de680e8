using System.Text;

namespace Fleet.Mqtt.Client;

/// <summary>Shortcuts matching MQTTnet's extension methods.</summary>
public static class MqttClientExtensions
{
    /// <summary>Subscribes to a single topic filter.</summary>
    public static Task<MqttClientSubscribeResult> SubscribeAsync(this IMqttClient client, string topic,
        MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, CancellationToken cancellationToken = default) =>
        client.SubscribeAsync(new MqttClientSubscribeOptions([new MqttTopicFilter(topic, qos)]), cancellationToken);

    /// <summary>Unsubscribes from a single topic filter.</summary>
    public static Task<MqttClientUnsubscribeResult> UnsubscribeAsync(this IMqttClient client, string topic, CancellationToken cancellationToken = default) =>
        client.UnsubscribeAsync(new MqttClientUnsubscribeOptions([topic]), cancellationToken);

    /// <summary>Publishes a UTF-8 string payload.</summary>
    public static Task<MqttClientPublishResult> PublishStringAsync(this IMqttClient client, string topic, string payload = "",
        MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default) =>
        client.PublishBinaryAsync(topic, Encoding.UTF8.GetBytes(payload), qos, retain, cancellationToken);

    /// <summary>Publishes a binary payload.</summary>
    public static Task<MqttClientPublishResult> PublishBinaryAsync(this IMqttClient client, string topic, ReadOnlyMemory<byte> payload,
        MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce, bool retain = false, CancellationToken cancellationToken = default) =>
        client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = payload, QualityOfServiceLevel = qos, Retain = retain }, cancellationToken);
}

/// <summary>Creates clients, as MQTTnet's factory does, to keep a later swap small.</summary>
public sealed class MqttClientFactory
{
    /// <summary>Creates a new, disconnected client.</summary>
    public IMqttClient CreateMqttClient() => new MqttClient();

    /// <summary>Creates a stopped resilient client.</summary>
    public ResilientMqttClient CreateResilientMqttClient(MqttClientOptions options, ResilientMqttClientOptions? resilience = null) =>
        new(options, resilience);
}
