using Fleet.Mqtt.Client;

namespace Fleet.Mqtt.Tests.Support;

internal static class ClientHelpers
{
    public static MqttClientOptionsBuilder FakeOptions(FakeBroker broker) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", broker.Port)
        .WithClientId("test-client")
        .WithKeepAlivePeriod(TimeSpan.Zero)
        .WithTimeout(TimeSpan.FromSeconds(5));

    /// <summary>Connects to the fake broker, which accepts with CONNACK.</summary>
    public static async Task<(MqttClient Client, FakeBrokerConnection Connection)> ConnectAsync(FakeBroker broker, MqttClientOptions? options = null)
    {
        var client = new MqttClient();
        var accept = broker.AcceptClientAsync();
        await client.ConnectAsync(options ?? FakeOptions(broker).Build());
        var (connection, _) = await accept;
        return (client, connection);
    }

    public static Task<MqttClientDisconnectedEventArgs> NextDisconnect(this IMqttClient client)
    {
        var disconnected = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += args =>
        {
            disconnected.TrySetResult(args);
            return Task.CompletedTask;
        };
        return disconnected.Task.WaitAsync(Timeouts.Default);
    }

    public static MqttApplicationMessage Message(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, bool retain = false) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();
}
