namespace Fleet.Messaging.Tests.LastWill;

/// <summary>
/// A headset's Last Will marks it offline when it vanishes. <see cref="ResilientMqttConnection.DisposeAsync"/> drops
/// the connection without DISCONNECT (the broker publishes the Will); <see cref="ResilientMqttConnection.StopAsync"/>
/// disconnects cleanly (the broker discards it).
/// </summary>
[Collection(SharedMosquittoCollection.Name)]
public class LastWillTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task TheWillIsPublishedWhenTheConnectionIsDroppedWithoutDisconnect()
    {
        var willTopic = Mqtt.UniqueTopic("will");
        using var watcher = await Broker.ConnectAsync();
        var received = new MessageCollector(watcher);
        await watcher.SubscribeAtLeastOnceAsync(willTopic);
        await using var headset = new ResilientMqttConnection(WithWill(Mqtt.UniqueClientId("headset"), willTopic));
        headset.Start();
        await headset.WaitUntilConnectedAsync(Timeouts.Token());

        await headset.DisposeAsync();

        var will = await received.NextAsync();
        will.Text().ShouldBe("offline");
        will.ApplicationMessage.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);
    }

    [Fact]
    public async Task TheWillIsNotPublishedAfterACleanStop()
    {
        var willTopic = Mqtt.UniqueTopic("will");
        using var watcher = await Broker.ConnectAsync();
        var received = new MessageCollector(watcher);
        await watcher.SubscribeAtLeastOnceAsync(willTopic);
        var clientId = Mqtt.UniqueClientId("headset");
        await using var headset = new ResilientMqttConnection(WithWill(clientId, willTopic));
        headset.Start();
        await headset.WaitUntilConnectedAsync(Timeouts.Token());

        await headset.StopAsync(Timeouts.Token());
        // Mosquitto logs "disconnected." for a DISCONNECT (a dropped socket is "closed its connection."); once it has,
        // a Will would already have been published, ahead of the sentinel below.
        await Timeouts.WaitUntilAsync(() => Broker.Log.Contains($"Client {clientId} disconnected."), "the broker handled the DISCONNECT");
        headset.IsConnected.ShouldBeFalse();

        await watcher.PublishAtLeastOnceAsync(willTopic, "sentinel");
        (await received.NextAsync()).Text().ShouldBe("sentinel");
    }

    private MqttClientOptions WithWill(string clientId, string willTopic) => Broker.PersistentOptions(clientId)
        .WithWillTopic(willTopic)
        .WithWillPayload("offline")
        .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}
