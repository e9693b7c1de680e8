using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Client;

public class ConnectionHealthTests
{
    [Fact]
    public async Task IdleClientSendsPingRequestsWithinTheKeepAlivePeriod()
    {
        await using var broker = new FakeBroker();
        var options = ClientHelpers.FakeOptions(broker).WithKeepAlivePeriod(TimeSpan.FromSeconds(1)).Build();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, options);
        await using var _ = client;

        for (var i = 0; i < 3; i++)
        {
            await connection.ReceiveAsync<MqttPingReqPacket>(TimeSpan.FromSeconds(1.5));
            await connection.SendAsync(MqttPingRespPacket.Instance);
        }

        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task PeerThatStopsAnsweringIsDeclaredDeadAfterOneAndAHalfKeepAlivePeriods()
    {
        await using var broker = new FakeBroker();
        var options = ClientHelpers.FakeOptions(broker).WithKeepAlivePeriod(TimeSpan.FromSeconds(1)).WithCleanSession(true).Build();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, options);
        await using var _ = client;
        var disconnected = client.NextDisconnect();
        var started = DateTime.UtcNow;

        await connection.ReceiveAsync<MqttPingReqPacket>(TimeSpan.FromSeconds(1.5)); // and never answer

        var args = await disconnected;
        args.Reason.ShouldBe(MqttClientDisconnectReason.KeepAliveTimeout);
        args.Exception.ShouldBeOfType<MqttCommunicationTimedOutException>();
        (DateTime.UtcNow - started).ShouldBeInRange(TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(4));
        client.IsConnected.ShouldBeFalse();
        await connection.WaitForCloseAsync();
    }

    [Theory]
    [InlineData("36 05 00 01 74 00 01", MqttProtocolViolationReason.InvalidQualityOfService)] // PUBLISH QoS 3
    [InlineData("30 05 00 03 61 2F 23", MqttProtocolViolationReason.InvalidTopicName)] // wildcard topic
    [InlineData("30 FF FF FF FF 01", MqttProtocolViolationReason.MalformedRemainingLength)]
    [InlineData("20 02 00 00", MqttProtocolViolationReason.UnexpectedPacket)] // second CONNACK
    [InlineData("82 06 00 01 00 01 74 00", MqttProtocolViolationReason.UnexpectedPacket)] // SUBSCRIBE sent to a client
    [InlineData("34 05 00 01 74 00 01", MqttProtocolViolationReason.InvalidQualityOfService)] // QoS 2 never subscribed to
    public async Task ProtocolViolationFromTheBrokerClosesTheConnection(string hex, MqttProtocolViolationReason reason)
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        await connection.SendRawAsync(Codec.Hex(hex));

        var args = await disconnected;
        args.Reason.ShouldBe(MqttClientDisconnectReason.ProtocolViolation);
        args.Exception.ShouldBeOfType<MqttProtocolViolationException>().Reason.ShouldBe(reason);
        await connection.WaitForCloseAsync();
    }

    [Fact]
    public async Task PacketLargerThanTheConfiguredMaximumClosesTheConnection()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker, ClientHelpers.FakeOptions(broker).WithMaximumPacketSize(1_024).Build());
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        await connection.SendAsync(new MqttPublishPacket("big", new byte[2_000], MqttQualityOfServiceLevel.AtMostOnce));

        var args = await disconnected;
        args.Exception.ShouldBeOfType<MqttProtocolViolationException>().Reason.ShouldBe(MqttProtocolViolationReason.PacketTooLarge);
    }

    [Fact]
    public async Task ConnectionClosedInTheMiddleOfAPacketIsReportedAsTruncated()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        await connection.SendRawAsync(Codec.Encode(new MqttPublishPacket("t", new byte[100], MqttQualityOfServiceLevel.AtMostOnce))[..50]);
        await connection.DisposeAsync();

        var args = await disconnected;
        args.Exception.ShouldBeOfType<MqttProtocolViolationException>().Reason.ShouldBe(MqttProtocolViolationReason.TruncatedPacket);
    }

    [Fact]
    public async Task BrokerClosingTheConnectionIsReportedAndPendingRequestsFail()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        var subscribe = client.SubscribeAsync("x");
        await connection.ReceiveAsync<MqttSubscribePacket>();
        await connection.DisposeAsync();

        (await disconnected).Reason.ShouldBe(MqttClientDisconnectReason.ConnectionClosedByServer);
        await Should.ThrowAsync<MqttClientDisconnectedException>(() => subscribe.WaitAsync(Timeouts.Default));
    }
}
