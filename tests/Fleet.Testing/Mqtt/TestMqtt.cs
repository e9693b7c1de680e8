using MQTTnet;
using MQTTnet.Formatter;

namespace Fleet.Testing.Mqtt;

/// <summary>Plain MQTTnet connections for tests that play a headset or a second API instance (no reconnect loop).</summary>
public static class TestMqtt
{
    /// <summary>
    /// Connects and throws <see cref="Fleet.Messaging.BrokerRefusedException"/> when the broker refuses. A persistent
    /// session (<paramref name="cleanStart"/> false) lasts an hour after a disconnect.
    /// </summary>
    public static async Task<IMqttClient> ConnectAsync(string host, int port, string? username, string? password, string clientId,
        bool cleanStart = true, MqttProtocolVersion protocol = MqttProtocolVersion.V500, Action<IMqttClient>? beforeConnect = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        beforeConnect?.Invoke(client);
        var builder = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(protocol).WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(15)).WithCleanStart(cleanStart).WithSessionExpiryInterval(cleanStart ? 0u : 3600u);
        if (username is not null) builder = builder.WithCredentials(username, password);
        var result = await client.ConnectAsync(builder.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new Fleet.Messaging.BrokerRefusedException(result);
        }
        return client;
    }

    /// <summary>A QoS 1 message with a UTF-8 payload.</summary>
    public static MqttApplicationMessage Message(string topic, string payload, bool retain = false) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();

    /// <summary>Publishes QoS 1 and fails the test when the broker refuses it (an MQTT 5 reason code).</summary>
    public static async Task PublishCheckedAsync(this IMqttClient client, MqttApplicationMessage message)
    {
        var result = await client.PublishAsync(message);
        if (!result.IsSuccess) throw new InvalidOperationException($"The broker refused the publish to {message.Topic}: {result.ReasonCode}");
    }
}
