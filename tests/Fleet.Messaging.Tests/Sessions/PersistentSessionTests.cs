namespace Fleet.Messaging.Tests.Sessions;

/// <summary>
/// The API's and the agents' sessions are persistent (MQTT 5 clean start off with a session expiry): what was published
/// while they were away waits for them at the broker.
/// </summary>
[Collection(SharedMosquittoCollection.Name)]
public class PersistentSessionTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task MessagesPublishedWhileASubscriberWasAwayAreDeliveredWhenItResumesItsSession()
    {
        var topic = Mqtt.UniqueTopic("away");
        var options = Broker.PersistentOptions(Mqtt.UniqueClientId("api")).Build();
        using var subscriber = Mqtt.NewClient();
        var received = new MessageCollector(subscriber);
        (await subscriber.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeFalse();
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions(), Timeouts.Token());

        using var publisher = await Broker.ConnectAsync();
        foreach (var payload in new[] { "1", "2", "3" }) await publisher.PublishAtLeastOnceAsync(topic, payload);

        (await subscriber.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeTrue();
        (await received.TakeAsync(3)).Select(m => m.Text()).ShouldBe(["1", "2", "3"]);
    }

    [Fact]
    public async Task ASessionExpiryOfZeroEndsTheSessionAtDisconnect()
    {
        var topic = Mqtt.UniqueTopic("expiry0");
        var options = Broker.Options(Mqtt.UniqueClientId("short")).WithCleanStart(false).WithSessionExpiryInterval(0).Build();
        using var subscriber = Mqtt.NewClient();
        var received = new MessageCollector(subscriber);
        await subscriber.ConnectAsync(options, Timeouts.Token());
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions(), Timeouts.Token());

        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "while away");

        (await subscriber.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeFalse();
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await publisher.PublishAtLeastOnceAsync(topic, "after return");
        (await received.NextAsync()).Text().ShouldBe("after return", "the message published while away belonged to a session that had ended");
    }

    [Fact]
    public async Task ASessionAndItsQueuedMessagesSurviveABrokerRestartWithPersistence()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { Persistence = true, ExtraConfig = Mqtt.FleetBrokerLimits });
        var topic = Mqtt.UniqueTopic("restart");
        var options = broker.PersistentOptions("api-restart").Build();
        using var subscriber = Mqtt.NewClient();
        var received = new MessageCollector(subscriber);
        await subscriber.ConnectAsync(options, Timeouts.Token());
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptions(), Timeouts.Token());
        using (var publisher = await broker.ConnectAsync())
        {
            await publisher.PublishAtLeastOnceAsync(topic, "queued before the restart");
        }

        await broker.RestartAsync();

        (await subscriber.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeTrue();
        (await received.NextAsync()).Text().ShouldBe("queued before the restart");
        using var later = await broker.ConnectAsync();
        await later.PublishAtLeastOnceAsync(topic, "after the restart");
        (await received.NextAsync()).Text().ShouldBe("after the restart", "the subscription itself was restored");
    }
}
