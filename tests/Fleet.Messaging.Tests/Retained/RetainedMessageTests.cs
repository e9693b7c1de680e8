namespace Fleet.Messaging.Tests.Retained;

/// <summary>A headset's desired state is a retained message: the last one is what a (re)connecting headset gets.</summary>
[Collection(SharedMosquittoCollection.Name)]
public class RetainedMessageTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task TheLastRetainedMessageIsDeliveredToALaterSubscriber()
    {
        var topic = Mqtt.UniqueTopic("state");
        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "old state", retain: true);
        await publisher.PublishAtLeastOnceAsync(topic, "current state", retain: true);

        using var subscriber = await Broker.ConnectAsync();
        var received = new MessageCollector(subscriber);
        await subscriber.SubscribeAtLeastOnceAsync(topic);

        var message = await received.NextAsync();
        message.Text().ShouldBe("current state");
        message.ApplicationMessage.Retain.ShouldBeTrue();
    }

    [Fact]
    public async Task AnEmptyRetainedMessageClearsTheRetainedState()
    {
        var topic = Mqtt.UniqueTopic("cleared");
        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "state", retain: true);
        await publisher.PublishAtLeastOnceAsync(topic, "", retain: true);

        using var subscriber = await Broker.ConnectAsync();
        var received = new MessageCollector(subscriber);
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await publisher.PublishAtLeastOnceAsync(topic, "live");

        (await received.NextAsync()).Text().ShouldBe("live");
    }

    [Fact]
    public async Task SendAtSubscribeIfNewSubscriptionOnlyDoesNotResendTheRetainedMessageOnAResubscribe()
    {
        var topic = Mqtt.UniqueTopic("new-only");
        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "state", retain: true);
        using var subscriber = await Broker.ConnectAsync();
        var received = new MessageCollector(subscriber);

        await subscriber.SubscribeAtLeastOnceAsync(topic, MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        (await received.NextAsync()).Text().ShouldBe("state", "a new subscription gets the retained message");
        await subscriber.SubscribeAtLeastOnceAsync(topic, MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        await publisher.PublishAtLeastOnceAsync(topic, "sentinel");

        (await received.NextAsync()).Text().ShouldBe("sentinel", "the subscription existed, so the retained message is not sent again");
    }

    [Fact]
    public async Task TheDefaultRetainHandlingResendsTheRetainedMessageOnAResubscribe()
    {
        var topic = Mqtt.UniqueTopic("default");
        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "state", retain: true);
        using var subscriber = await Broker.ConnectAsync();
        var received = new MessageCollector(subscriber);

        await subscriber.SubscribeAtLeastOnceAsync(topic);
        (await received.NextAsync()).Text().ShouldBe("state");
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await publisher.PublishAtLeastOnceAsync(topic, "sentinel");

        (await received.TakeUntilAsync("sentinel")).ShouldBe(["state", "sentinel"]);
    }
}
