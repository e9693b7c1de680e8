using MQTTnet.Diagnostics.PacketInspection;

namespace Fleet.Messaging.Tests.Reconnect;

/// <summary>
/// Every filter given to <see cref="ResilientMqttConnection.SubscribeAsync"/> reaches the broker, whenever it was given:
/// before the first connection, while a resumed session is being set up, or while connected.
/// </summary>
public class SubscriptionBookkeepingTests
{
    private static readonly ReconnectOptions Fast = new() { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400) };

    [Fact]
    public async Task AFilterGivenBeforeTheFirstConnectionIsSubscribedEvenWhenTheBrokerResumesAnOlderSession()
    {
        // The session an earlier version of the agent left behind knows only the old topic; the new version adds one.
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { ExtraConfig = Mqtt.FleetBrokerLimits });
        var oldTopic = Mqtt.UniqueTopic("commands");
        var newTopic = Mqtt.UniqueTopic("confirmations");
        using (var earlierVersion = await broker.ConnectAsync(broker.PersistentOptions("headset-1").Build()))
        {
            await earlierVersion.SubscribeAtLeastOnceAsync(oldTopic);
            await earlierVersion.DisconnectAsync(new MqttClientDisconnectOptions(), Timeouts.Token());
        }

        await using var agent = new ResilientMqttConnection(broker.PersistentOptions("headset-1").Build(), Fast);
        var events = new ConnectionEvents(agent);
        var received = new MessageCollector(agent.Client);
        await agent.SubscribeAsync([Mqtt.Filter(oldTopic), Mqtt.Filter(newTopic)], Timeouts.Token());
        agent.Start();

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeTrue();
        using var api = await broker.ConnectAsync();
        await api.PublishAtLeastOnceAsync(newTopic, "confirmed up to 42");
        (await received.NextAsync()).Text().ShouldBe("confirmed up to 42");
    }

    [Fact]
    public async Task AFilterGivenWhileTheConnectionIsSubscribingAgainIsNotLost()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { ExtraConfig = Mqtt.FleetBrokerLimits });
        var first = Mqtt.UniqueTopic("first");
        var late = Mqtt.UniqueTopic("late");
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("api").Build(), Fast);
        var events = new ConnectionEvents(connection);
        var received = new MessageCollector(connection.Client);
        connection.Start();
        await events.NextConnectionAsync();
        await connection.SubscribeAsync([Mqtt.Filter(first)], Timeouts.Token());
        // Once the broker has lost the session, the connection subscribes again; the moment its SUBSCRIBE goes out,
        // someone else adds a filter (the packet inspector runs just before the bytes are written).
        var lateAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = 0;
        connection.Client.InspectPacketAsync += async e =>
        {
            const byte subscribe = 0x82;
            if (e.Direction == MqttPacketFlowDirection.Outbound && e.Buffer[0] == subscribe && Interlocked.Exchange(ref armed, 0) == 1)
            {
                await connection.SubscribeAsync([Mqtt.Filter(late)], Timeouts.Token());
                lateAdded.TrySetResult();
            }
        };
        Volatile.Write(ref armed, 1);

        await broker.RestartAsync(); // no persistence: the session is gone

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeFalse();
        await lateAdded.Task.WaitAsync(Timeouts.Default);
        using var publisher = await broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(late, "for the late filter");
        await publisher.PublishAtLeastOnceAsync(first, "sentinel");
        (await received.TakeUntilAsync("sentinel")).ShouldContain("for the late filter");
    }
}
