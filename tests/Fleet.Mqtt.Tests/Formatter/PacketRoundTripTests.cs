using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Formatter;

public class PacketRoundTripTests
{
    [Fact]
    public void ConnectRoundTripsEveryField()
    {
        var packet = Codec.RoundTrip(new MqttConnectPacket("client-é", CleanSession: false, KeepAliveSeconds: 65_535, Username: "ünïcode",
            Password: new byte[] { 0, 1, 255 }, Will: new MqttWill("status/dead", new byte[] { 9 }, MqttQualityOfServiceLevel.ExactlyOnce, Retain: false)));

        packet.ClientId.ShouldBe("client-é");
        packet.CleanSession.ShouldBeFalse();
        packet.KeepAliveSeconds.ShouldBe((ushort)65_535);
        packet.Username.ShouldBe("ünïcode");
        packet.Password!.Value.ToArray().ShouldBe(new byte[] { 0, 1, 255 });
        packet.Will!.Topic.ShouldBe("status/dead");
        packet.Will.Payload.ToArray().ShouldBe(new byte[] { 9 });
        packet.Will.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.ExactlyOnce);
    }

    [Fact]
    public void ConnectWithoutOptionalFieldsRoundTrips()
    {
        var packet = Codec.RoundTrip(new MqttConnectPacket("", CleanSession: true, KeepAliveSeconds: 0));
        packet.Username.ShouldBeNull();
        packet.Password.ShouldBeNull();
        packet.Will.ShouldBeNull();
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 5)]
    [InlineData(false, 1)]
    public void ConnAckRoundTrips(bool sessionPresent, byte code) =>
        Codec.RoundTrip(new MqttConnAckPacket(sessionPresent, (MqttConnectReturnCode)code))
            .ShouldBe(new MqttConnAckPacket(sessionPresent, (MqttConnectReturnCode)code));

    [Theory]
    [InlineData(MqttQualityOfServiceLevel.AtMostOnce, false, false)]
    [InlineData(MqttQualityOfServiceLevel.AtLeastOnce, true, true)]
    [InlineData(MqttQualityOfServiceLevel.ExactlyOnce, false, true)]
    public void PublishRoundTripsFlagsTopicIdAndPayload(MqttQualityOfServiceLevel qos, bool retain, bool dup)
    {
        var id = qos == MqttQualityOfServiceLevel.AtMostOnce ? (ushort)0 : (ushort)65_535;
        var packet = Codec.RoundTrip(new MqttPublishPacket("fleet/headsets/42/状态", "payload"u8.ToArray(), qos, retain, dup, id));

        packet.Topic.ShouldBe("fleet/headsets/42/状态");
        packet.QualityOfServiceLevel.ShouldBe(qos);
        packet.Retain.ShouldBe(retain);
        packet.Dup.ShouldBe(dup);
        packet.PacketId.ShouldBe(id);
        packet.Payload.ToArray().ShouldBe("payload"u8.ToArray());
    }

    [Fact]
    public void PublishWithEmptyPayloadRoundTrips() =>
        Codec.RoundTrip(new MqttPublishPacket("t", ReadOnlyMemory<byte>.Empty, MqttQualityOfServiceLevel.AtMostOnce)).Payload.Length.ShouldBe(0);

    [Fact]
    public void PublishAcknowledgementsRoundTrip()
    {
        Codec.RoundTrip(new MqttPubAckPacket(1)).ShouldBe(new MqttPubAckPacket(1));
        Codec.RoundTrip(new MqttPubRecPacket(2)).ShouldBe(new MqttPubRecPacket(2));
        Codec.RoundTrip(new MqttPubRelPacket(3)).ShouldBe(new MqttPubRelPacket(3));
        Codec.RoundTrip(new MqttPubCompPacket(4)).ShouldBe(new MqttPubCompPacket(4));
    }

    [Fact]
    public void SubscribeRoundTripsSeveralFiltersIncludingSharedAndWildcards()
    {
        MqttTopicFilter[] filters =
        [
            new("a/+/c", MqttQualityOfServiceLevel.AtMostOnce),
            new("#", MqttQualityOfServiceLevel.AtLeastOnce),
            new("$share/workers/jobs/#", MqttQualityOfServiceLevel.ExactlyOnce),
        ];
        var packet = Codec.RoundTrip(new MqttSubscribePacket(7, filters));

        packet.PacketId.ShouldBe((ushort)7);
        packet.Filters.ShouldBe(filters);
    }

    [Fact]
    public void SubAckRoundTripsGrantedAndFailureCodes() =>
        Codec.RoundTrip(new MqttSubAckPacket(9, [0, 1, 2, 0x80])).ReturnCodes.ShouldBe(new byte[] { 0, 1, 2, 0x80 });

    [Fact]
    public void UnsubscribeAndUnsubAckRoundTrip()
    {
        Codec.RoundTrip(new MqttUnsubscribePacket(5, ["a/b", "c/#"])).Filters.ShouldBe(["a/b", "c/#"]);
        Codec.RoundTrip(new MqttUnsubAckPacket(5)).ShouldBe(new MqttUnsubAckPacket(5));
    }

    [Fact]
    public void EmptyPacketsRoundTrip()
    {
        Codec.RoundTrip(MqttPingReqPacket.Instance).ShouldBeOfType<MqttPingReqPacket>();
        Codec.RoundTrip(MqttPingRespPacket.Instance).ShouldBeOfType<MqttPingRespPacket>();
        Codec.RoundTrip(MqttDisconnectPacket.Instance).ShouldBeOfType<MqttDisconnectPacket>();
    }
}
