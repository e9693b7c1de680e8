namespace Fleet.Messaging.Tests.Expiry;

/// <summary>
/// Commands carry an MQTT 5 message expiry (besides <c>expiresAt</c> in the payload): a headset that was offline
/// longer than a command lives never receives it.
/// </summary>
[Collection(SharedMosquittoCollection.Name)]
public class MessageExpiryTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task AQueuedMessageThatExpiresBeforeAnOfflineSubscriberReturnsIsNotDelivered()
    {
        var topic = Mqtt.UniqueTopic("commands");
        var options = Broker.PersistentOptions(Mqtt.UniqueClientId("headset")).Build();
        using var headset = Mqtt.NewClient();
        var received = new MessageCollector(headset);
        await headset.ConnectAsync(options, Timeouts.Token());
        await headset.SubscribeAtLeastOnceAsync(topic);
        await headset.DisconnectAsync(new MqttClientDisconnectOptions(), Timeouts.Token());

        using var api = await Broker.ConnectAsync();
        await api.PublishAsync(Command(topic, "short-lived", expirySeconds: 1), Timeouts.Token());
        await api.PublishAsync(Command(topic, "long-lived", expirySeconds: 600), Timeouts.Token());
        // Nothing signals an expiry; the broker checks it when it would deliver, so let the short one run out.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        (await headset.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeTrue();
        var first = await received.NextAsync();
        first.Text().ShouldBe("long-lived");
        first.ApplicationMessage.MessageExpiryInterval.ShouldBeInRange(1u, 598u, "the broker forwards what is left of the lifetime");
        await api.PublishAtLeastOnceAsync(topic, "sentinel");
        (await received.NextAsync()).Text().ShouldBe("sentinel");
    }

    private static MqttApplicationMessage Command(string topic, string payload, uint expirySeconds) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithMessageExpiryInterval(expirySeconds)
        .Build();
}
