using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Client;

public class ReceiveTests
{
    private static MqttPublishPacket Publish(ushort id, string payload, bool dup = false) =>
        new("in", System.Text.Encoding.UTF8.GetBytes(payload), MqttQualityOfServiceLevel.AtLeastOnce, Dup: dup, PacketId: id);

    /// <summary>Proves nothing else was queued before this point: the writer is FIFO, so the ping comes out next.</summary>
    private static async Task ExpectNothingQueuedAsync(MqttClient client, FakeBrokerConnection connection)
    {
        var ping = client.PingAsync();
        await connection.ReceiveAsync<MqttPingReqPacket>();
        await connection.SendAsync(MqttPingRespPacket.Instance);
        await ping;
    }

    [Fact]
    public async Task AutoAcknowledgeSendsPubAckAfterTheHandlerReturns()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector();
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await connection.SendAsync(Publish(7, "hello"));

        var received = await collector.NextAsync();
        received.ApplicationMessage.ConvertPayloadToString().ShouldBe("hello");
        received.ApplicationMessage.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);
        received.PacketIdentifier.ShouldBe((ushort)7);
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)7);
    }

    [Fact]
    public async Task ManualAcknowledgeSendsPubAckOnlyWhenTheApplicationAcknowledges()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector(autoAcknowledge: false);
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await connection.SendAsync(Publish(1, "a"));
        var message = await collector.NextAsync();
        await ExpectNothingQueuedAsync(client, connection);

        // From another thread, after the handler has long returned (as after a database commit).
        await Task.Run(() => message.AcknowledgeAsync());
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)1);

        await message.AcknowledgeAsync(); // idempotent
        await ExpectNothingQueuedAsync(client, connection);
    }

    [Fact]
    public async Task AcksAreSentInArrivalOrderEvenWhenTheApplicationAcknowledgesOutOfOrder()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector(autoAcknowledge: false);
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await connection.SendAsync(Publish(11, "1"));
        await connection.SendAsync(Publish(12, "2"));
        await connection.SendAsync(Publish(13, "3"));
        var messages = await collector.TakeAsync(3);

        await messages[2].AcknowledgeAsync();
        await ExpectNothingQueuedAsync(client, connection); // 13 is held behind 11 and 12

        await messages[0].AcknowledgeAsync();
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)11);
        await ExpectNothingQueuedAsync(client, connection); // 13 still held behind 12

        await messages[1].AcknowledgeAsync();
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)12);
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)13);
    }

    [Fact]
    public async Task ConcurrentAcknowledgementsFromManyThreadsStillProduceArrivalOrder()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector(autoAcknowledge: false);
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;
        const int count = 500;

        for (ushort id = 1; id <= count; id++)
        {
            await connection.SendAsync(Publish(id, $"{id}"));
        }

        var messages = await collector.TakeAsync(count);
        var shuffled = messages.OrderBy(_ => Random.Shared.Next()).ToArray();
        await Parallel.ForEachAsync(shuffled, async (message, _) => await message.AcknowledgeAsync());

        for (ushort id = 1; id <= count; id++)
        {
            (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe(id);
        }
    }

    [Fact]
    public async Task HandlerThatThrowsStillAcknowledgesSoLaterAcksAreNotBlocked()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        client.ApplicationMessageReceivedAsync += _ => throw new InvalidOperationException("handler bug");

        await connection.SendAsync(Publish(1, "a"));
        await connection.SendAsync(Publish(2, "b"));

        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)1);
        (await connection.ReceiveAsync<MqttPubAckPacket>()).PacketId.ShouldBe((ushort)2);
        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task MessagesAreDeliveredInOrderOneAtATime()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        const int count = 2_000;
        var received = new List<int>();
        var concurrent = 0;
        var maxConcurrent = 0;
        var done = new TaskCompletionSource();
        client.ApplicationMessageReceivedAsync += async args =>
        {
            maxConcurrent = Math.Max(maxConcurrent, Interlocked.Increment(ref concurrent));
            if (received.Count % 100 == 0)
            {
                await Task.Yield();
            }

            received.Add(int.Parse(args.ApplicationMessage.ConvertPayloadToString()));
            Interlocked.Decrement(ref concurrent);
            if (received.Count == count)
            {
                done.SetResult();
            }
        };

        var bytes = Enumerable.Range(0, count)
            .SelectMany(i => Codec.Encode(new MqttPublishPacket("seq", System.Text.Encoding.UTF8.GetBytes($"{i}"), MqttQualityOfServiceLevel.AtMostOnce)))
            .ToArray();
        await connection.SendRawAsync(bytes);

        await done.Task.WaitAsync(Timeouts.Default);
        received.ShouldBe(Enumerable.Range(0, count));
        maxConcurrent.ShouldBe(1);
    }

    [Fact]
    public async Task PayloadStaysValidAfterTheHandlerReturnsAndMoreDataArrives()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector();
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await connection.SendAsync(new MqttPublishPacket("keep", Enumerable.Repeat((byte)0xAB, 1_000).ToArray(), MqttQualityOfServiceLevel.AtMostOnce));
        var kept = (await collector.NextAsync()).ApplicationMessage.Payload;

        // Enough traffic to recycle every receive buffer the first payload could have pointed into.
        for (var i = 0; i < 50; i++)
        {
            await connection.SendAsync(new MqttPublishPacket("more", Enumerable.Repeat((byte)i, 10_000).ToArray(), MqttQualityOfServiceLevel.AtMostOnce));
        }

        await collector.TakeAsync(50);
        kept.ToArray().ShouldAllBe(b => b == 0xAB);
    }

    [Fact]
    public async Task IncomingDupAndRetainFlagsReachTheApplication()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var collector = new MessageCollector();
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;

        await connection.SendAsync(new MqttPublishPacket("flags", "x"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, Retain: true, Dup: true, PacketId: 3));

        var message = (await collector.NextAsync()).ApplicationMessage;
        message.Dup.ShouldBeTrue();
        message.Retain.ShouldBeTrue();
    }

    [Fact]
    public async Task SubscribeReportsEachFilterResultIncludingFailures()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        var subscribe = client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("allowed/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("$share/g/forbidden/+", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        var packet = await connection.ReceiveAsync<MqttSubscribePacket>();
        packet.Filters.Select(f => f.Topic).ShouldBe(["allowed/#", "$share/g/forbidden/+"]);
        await connection.SendAsync(new MqttSubAckPacket(packet.PacketId, [0x01, 0x80]));

        var result = await subscribe.WaitAsync(Timeouts.Default);
        result.Items[0].ResultCode.ShouldBe(MqttClientSubscribeResultCode.GrantedQoS1);
        result.Items[1].ResultCode.ShouldBe(MqttClientSubscribeResultCode.UnspecifiedError);
        result.Items[1].IsSuccess.ShouldBeFalse();
    }

    [Fact]
    public async Task SubscribeTimesOutWhenTheBrokerNeverAnswers()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithTimeout(TimeSpan.FromMilliseconds(300)).Build());
        await using var _ = client;

        await Should.ThrowAsync<MqttCommunicationTimedOutException>(() => client.SubscribeAsync("x"));
        await connection.ReceiveAsync<MqttSubscribePacket>();
    }

    [Fact]
    public async Task UnsubscribeWaitsForUnsubAck()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        var unsubscribe = client.UnsubscribeAsync("a/+");
        var packet = await connection.ReceiveAsync<MqttUnsubscribePacket>();
        packet.Filters.ShouldBe(["a/+"]);
        unsubscribe.IsCompleted.ShouldBeFalse();
        await connection.SendAsync(new MqttUnsubAckPacket(packet.PacketId));

        (await unsubscribe.WaitAsync(Timeouts.Default)).TopicFilters.ShouldBe(["a/+"]);
    }

    [Fact]
    public async Task InvalidSubscriptionsAreRejectedLocally()
    {
        await using var broker = new FakeBroker();
        var (client, _) = await ClientHelpers.ConnectAsync(broker);
        await using var __ = client;

        await Should.ThrowAsync<ArgumentException>(() => client.SubscribeAsync("a/#/b"));
        await Should.ThrowAsync<ArgumentException>(() => client.SubscribeAsync("$share/g"));
        await Should.ThrowAsync<NotSupportedException>(() => client.SubscribeAsync("a", MqttQualityOfServiceLevel.ExactlyOnce));
    }
}
