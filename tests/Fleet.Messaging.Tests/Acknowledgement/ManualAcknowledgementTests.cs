namespace Fleet.Messaging.Tests.Acknowledgement;

/// <summary>
/// The API acknowledges a message only after it committed it (MQTTnet: <c>AutoAcknowledge = false</c>, later
/// <c>AcknowledgeAsync</c>), so a message whose PUBACK never left is the broker's to deliver again.
/// </summary>
[Collection(SharedMosquittoCollection.Name)]
public class ManualAcknowledgementTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task AMessageNotAcknowledgedBeforeTheConnectionDiesIsRedeliveredAndAcknowledgedOnesAreNot()
    {
        var topic = Mqtt.UniqueTopic("ack");
        var options = Broker.PersistentOptions(Mqtt.UniqueClientId("api")).Build();
        using var publisher = await Broker.ConnectAsync();
        var first = Mqtt.NewClient();
        var firstReceived = new MessageCollector(first, autoAcknowledge: false);
        await first.ConnectAsync(options, Timeouts.Token());
        await first.SubscribeAtLeastOnceAsync(topic);
        foreach (var payload in new[] { "1", "2", "3" }) await publisher.PublishAtLeastOnceAsync(topic, payload);

        var delivered = await firstReceived.TakeAsync(3);
        delivered.Select(m => m.Text()).ShouldBe(["1", "2", "3"]);
        delivered.ShouldAllBe(m => !m.ApplicationMessage.Dup);
        await delivered[0].AcknowledgeAsync(Timeouts.Token());
        await delivered[2].AcknowledgeAsync(Timeouts.Token());
        await first.PingAsync(Timeouts.Token()); // the broker answers in order, so both PUBACKs were handled
        first.Dispose(); // the connection dies without DISCONNECT, "2" never acknowledged

        using var second = Mqtt.NewClient();
        var secondReceived = new MessageCollector(second, autoAcknowledge: false);
        (await second.ConnectAsync(options, Timeouts.Token())).IsSessionPresent.ShouldBeTrue();
        var again = await secondReceived.NextAsync();
        again.Text().ShouldBe("2");
        again.ApplicationMessage.Dup.ShouldBeTrue();
        await again.AcknowledgeAsync(Timeouts.Token());

        await publisher.PublishAtLeastOnceAsync(topic, "sentinel");
        var next = await secondReceived.NextAsync();
        next.Text().ShouldBe("sentinel", "1 and 3 were acknowledged and must not come back");
        await next.AcknowledgeAsync(Timeouts.Token());
    }

    [Fact]
    public async Task ManyQos1MessagesArriveCompleteAndInOrderWhenAcknowledgedInBatches()
    {
        const int count = 2_000;
        const int batch = 100;
        var topic = Mqtt.UniqueTopic("order");
        using var subscriber = await Broker.ConnectAsync(Broker.PersistentOptions(Mqtt.UniqueClientId("api")).Build());
        var received = new MessageCollector(subscriber, autoAcknowledge: false);
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        using var publisher = await Broker.ConnectAsync();

        var timeout = Timeouts.Token();
        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(i => publisher.PublishAsync(Mqtt.Message(topic, $"{i}"), timeout)));
        var order = new List<int>(count);
        while (order.Count < count)
        {
            var messages = await received.TakeAvailableAsync(batch);
            order.AddRange(messages.Select(m => int.Parse(m.Text())));
            foreach (var m in messages) await m.AcknowledgeAsync(timeout); // after the "commit" of the batch
        }

        (await publishing).ShouldAllBe(r => r.IsSuccess);
        var firstOutOfOrder = Enumerable.Range(0, count).FirstOrDefault(i => order[i] != i, -1);
        firstOutOfOrder.ShouldBe(-1, "index of the first message out of order");
    }
}
