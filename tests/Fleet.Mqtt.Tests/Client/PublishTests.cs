using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Client;

public class PublishTests
{
    [Fact]
    public async Task PublishCompletesWhenBrokerAcknowledges()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        var publish = client.PublishAsync(ClientHelpers.Message("a/b", "hello", retain: true));
        var packet = await connection.ReceiveAsync<MqttPublishPacket>();
        packet.Topic.ShouldBe("a/b");
        packet.Retain.ShouldBeTrue();
        packet.Dup.ShouldBeFalse();
        packet.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);

        // A ping round trip proves the client is processing input, yet the publish still waits for its PUBACK.
        var ping = client.PingAsync();
        await connection.ReceiveAsync<MqttPingReqPacket>();
        await connection.SendAsync(MqttPingRespPacket.Instance);
        await ping;
        publish.IsCompleted.ShouldBeFalse();

        await connection.SendAsync(new MqttPubAckPacket(packet.PacketId));
        var result = await publish.WaitAsync(Timeouts.Default);
        result.PacketIdentifier.ShouldBe(packet.PacketId);
        result.IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task Qos0PublishCompletesOnceWrittenAndCarriesNoPacketId()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        var result = await client.PublishAsync(ClientHelpers.Message("t", "x", MqttQualityOfServiceLevel.AtMostOnce));
        var packet = await connection.ReceiveAsync<MqttPublishPacket>();

        result.PacketIdentifier.ShouldBeNull();
        packet.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtMostOnce);
        packet.PacketId.ShouldBe((ushort)0);
    }

    [Fact]
    public async Task InflightWindowHoldsFurtherPublishesUntilAnAckFreesASlot()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithMaxInflightPublishes(2).Build());
        await using var _ = client;

        var publishes = Enumerable.Range(0, 3).Select(i => client.PublishAsync(ClientHelpers.Message("t", $"m{i}"))).ToArray();
        var first = await connection.ReceiveAsync<MqttPublishPacket>();
        var second = await connection.ReceiveAsync<MqttPublishPacket>();

        // The third publish must not be on the wire: the next packet after a ping request is the ping itself.
        var ping = client.PingAsync();
        await connection.ReceiveAsync<MqttPingReqPacket>();
        await connection.SendAsync(MqttPingRespPacket.Instance);
        await ping;
        publishes[2].IsCompleted.ShouldBeFalse();

        await connection.SendAsync(new MqttPubAckPacket(first.PacketId));
        var third = await connection.ReceiveAsync<MqttPublishPacket>();
        third.Payload.ToArray().ShouldBe("m2"u8.ToArray());

        await connection.SendAsync(new MqttPubAckPacket(second.PacketId));
        await connection.SendAsync(new MqttPubAckPacket(third.PacketId));
        var results = await Task.WhenAll(publishes).WaitAsync(Timeouts.Default);
        results.Select(r => r.PacketIdentifier).ShouldBe([first.PacketId, second.PacketId, third.PacketId]);
        third.PacketId.ShouldNotBe(second.PacketId);
    }

    [Fact]
    public async Task CancellingAPublishThatWaitsForASlotReleasesNothingAndSendsNothing()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithMaxInflightPublishes(1).Build());
        await using var _ = client;

        var first = client.PublishAsync(ClientHelpers.Message("t", "first"));
        var firstPacket = await connection.ReceiveAsync<MqttPublishPacket>();
        using var cancel = new CancellationTokenSource();
        var waiting = client.PublishAsync(ClientHelpers.Message("t", "cancelled"), cancel.Token);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiting);

        await connection.SendAsync(new MqttPubAckPacket(firstPacket.PacketId));
        await first.WaitAsync(Timeouts.Default);
        var next = client.PublishAsync(ClientHelpers.Message("t", "next"));
        var nextPacket = await connection.ReceiveAsync<MqttPublishPacket>();
        nextPacket.Payload.ToArray().ShouldBe("next"u8.ToArray());
        await connection.SendAsync(new MqttPubAckPacket(nextPacket.PacketId));
        await next.WaitAsync(Timeouts.Default);
        client.PendingPublishCount.ShouldBe(0);
    }

    [Fact]
    public async Task ConcurrentPublishesAreCoalescedIntoFewSocketWrites()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithMaxInflightPublishes(5_000).Build());
        await using var _ = client;
        const int count = 4_000;
        var flushesBefore = client.CurrentConnection!.FlushCount;

        var acker = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                var packet = await connection.ReceiveAsync<MqttPublishPacket>();
                await connection.SendAsync(new MqttPubAckPacket(packet.PacketId));
            }
        });
        var publishes = Enumerable.Range(0, count).Select(i => client.PublishAsync(ClientHelpers.Message("load", $"{i}"))).ToArray();
        await Task.WhenAll(publishes).WaitAsync(Timeouts.Default);
        await acker;

        var flushes = client.CurrentConnection!.FlushCount - flushesBefore;
        flushes.ShouldBeLessThan(count / 4, $"{count} publishes took {flushes} socket writes");
    }

    [Fact]
    public async Task UnacknowledgedPublishesAreResentWithDupAndSamePacketIdAfterReconnect()
    {
        await using var broker = new FakeBroker();
        var options = ClientHelpers.FakeOptions(broker).WithCleanSession(false).Build();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, options);
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        var first = client.PublishAsync(ClientHelpers.Message("t", "one"));
        var second = client.PublishAsync(ClientHelpers.Message("t", "two"));
        var original1 = await connection.ReceiveAsync<MqttPublishPacket>();
        var original2 = await connection.ReceiveAsync<MqttPublishPacket>();
        connection.Abort();
        await disconnected;
        first.IsCompleted.ShouldBeFalse();
        client.PendingPublishCount.ShouldBe(2);

        var accept = broker.AcceptClientAsync(sessionPresent: true);
        await client.ConnectAsync(options);
        var (again, _) = await accept;
        var resent1 = await again.ReceiveAsync<MqttPublishPacket>();
        var resent2 = await again.ReceiveAsync<MqttPublishPacket>();

        Codec.Encode(resent1).ShouldBe(Codec.Encode(original1 with { Dup = true }));
        Codec.Encode(resent2).ShouldBe(Codec.Encode(original2 with { Dup = true }));
        await again.SendAsync(new MqttPubAckPacket(resent2.PacketId));
        await again.SendAsync(new MqttPubAckPacket(resent1.PacketId));
        (await first.WaitAsync(Timeouts.Default)).PacketIdentifier.ShouldBe(original1.PacketId);
        (await second.WaitAsync(Timeouts.Default)).PacketIdentifier.ShouldBe(original2.PacketId);
    }

    [Fact]
    public async Task CleanSessionFailsPendingPublishesWhenTheConnectionDrops()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        var publish = client.PublishAsync(ClientHelpers.Message("t", "lost"));
        await connection.ReceiveAsync<MqttPublishPacket>();
        connection.Abort();

        await Should.ThrowAsync<MqttClientDisconnectedException>(() => publish.WaitAsync(Timeouts.Default));
        client.PendingPublishCount.ShouldBe(0);
    }

    [Fact]
    public async Task DisposeFailsPendingPublishes()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithCleanSession(false).Build());

        var publish = client.PublishAsync(ClientHelpers.Message("t", "x"));
        await connection.ReceiveAsync<MqttPublishPacket>();
        await client.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => publish.WaitAsync(Timeouts.Default));
    }

    [Fact]
    public async Task InvalidPublishesAreRejectedBeforeAnythingIsSent()
    {
        await using var broker = new FakeBroker();
        var (client, _) = await ClientHelpers.ConnectAsync(broker);
        await using var __ = client;

        await Should.ThrowAsync<ArgumentException>(() => client.PublishAsync(ClientHelpers.Message("a/+", "x")));
        await Should.ThrowAsync<ArgumentException>(() => client.PublishAsync(ClientHelpers.Message("a/#", "x")));
        await Should.ThrowAsync<ArgumentException>(() => client.PublishAsync(new MqttApplicationMessage { Topic = "" }));
        await Should.ThrowAsync<NotSupportedException>(() => client.PublishAsync(ClientHelpers.Message("a", "x", MqttQualityOfServiceLevel.ExactlyOnce)));
    }

    [Fact]
    public async Task PublishWithoutConnectionThrowsNotConnected()
    {
        await using var client = new MqttClient();
        await Should.ThrowAsync<MqttClientNotConnectedException>(() => client.PublishAsync(ClientHelpers.Message("a", "x")));
        await Should.ThrowAsync<MqttClientNotConnectedException>(() => client.PublishAsync(ClientHelpers.Message("a", "x", MqttQualityOfServiceLevel.AtMostOnce)));
    }
}
