using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Formatter;

/// <summary>Exact bytes, worked out by hand from the MQTT 3.1.1 specification (sections 2 and 3).</summary>
public class PacketEncodingTests
{
    [Fact]
    public void ConnectWithOnlyClientIdMatchesTheSpecLayout() =>
        Codec.Encode(new MqttConnectPacket("abc", CleanSession: true, KeepAliveSeconds: 60))
            .ShouldBe(Codec.Hex("10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 61 62 63"));

    [Fact]
    public void ConnectWithWillUserAndPasswordSetsEveryFlag()
    {
        var packet = new MqttConnectPacket("c", CleanSession: true, KeepAliveSeconds: 10, Username: "u", Password: new byte[] { 0x70 },
            Will: new MqttWill("w", "x"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, Retain: true));

        // Flags: user 0x80 | password 0x40 | will retain 0x20 | will QoS 1 0x08 | will 0x04 | clean 0x02 = 0xEE.
        Codec.Encode(packet).ShouldBe(Codec.Hex("10 19 00 04 4D 51 54 54 04 EE 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70"));
    }

    [Fact]
    public void ConnAckCarriesSessionPresentAndReturnCode() =>
        Codec.Encode(new MqttConnAckPacket(true, MqttConnectReturnCode.Accepted)).ShouldBe(Codec.Hex("20 02 01 00"));

    [Fact]
    public void PublishQos1HasFlagsTopicPacketIdAndPayload() =>
        Codec.Encode(new MqttPublishPacket("a/b", "hi"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, Retain: false, Dup: false, PacketId: 10))
            .ShouldBe(Codec.Hex("32 09 00 03 61 2F 62 00 0A 68 69"));

    [Fact]
    public void PublishQos0RetainHasNoPacketId() =>
        Codec.Encode(new MqttPublishPacket("t", "x"u8.ToArray(), MqttQualityOfServiceLevel.AtMostOnce, Retain: true))
            .ShouldBe(Codec.Hex("31 04 00 01 74 78"));

    [Fact]
    public void PublishDupSetsBitThree() =>
        Codec.Encode(new MqttPublishPacket("t", ReadOnlyMemory<byte>.Empty, MqttQualityOfServiceLevel.AtLeastOnce, Dup: true, PacketId: 1))
            .ShouldBe(Codec.Hex("3A 05 00 01 74 00 01"));

    [Theory]
    [InlineData(typeof(MqttPubAckPacket), "40 02 01 02")]
    [InlineData(typeof(MqttPubRecPacket), "50 02 01 02")]
    [InlineData(typeof(MqttPubRelPacket), "62 02 01 02")]
    [InlineData(typeof(MqttPubCompPacket), "70 02 01 02")]
    [InlineData(typeof(MqttUnsubAckPacket), "B0 02 01 02")]
    public void AcknowledgementsAreFourBytesAndPubRelHasFlagsTwo(Type type, string hex) =>
        Codec.Encode((MqttPacket)Activator.CreateInstance(type, (ushort)0x0102)!).ShouldBe(Codec.Hex(hex));

    [Fact]
    public void SubscribeHasFlagsTwoAndRequestedQosPerFilter() =>
        Codec.Encode(new MqttSubscribePacket(1, [new MqttTopicFilter("a/#", MqttQualityOfServiceLevel.AtLeastOnce)]))
            .ShouldBe(Codec.Hex("82 08 00 01 00 03 61 2F 23 01"));

    [Fact]
    public void SubAckListsOneReturnCodePerFilter() =>
        Codec.Encode(new MqttSubAckPacket(1, [0x01, 0x80])).ShouldBe(Codec.Hex("90 04 00 01 01 80"));

    [Fact]
    public void UnsubscribeHasFlagsTwo() =>
        Codec.Encode(new MqttUnsubscribePacket(2, ["a/b"])).ShouldBe(Codec.Hex("A2 07 00 02 00 03 61 2F 62"));

    [Fact]
    public void EmptyPacketsAreTwoBytes()
    {
        Codec.Encode(MqttPingReqPacket.Instance).ShouldBe(Codec.Hex("C0 00"));
        Codec.Encode(MqttPingRespPacket.Instance).ShouldBe(Codec.Hex("D0 00"));
        Codec.Encode(MqttDisconnectPacket.Instance).ShouldBe(Codec.Hex("E0 00"));
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "80 01")]
    [InlineData(16_383, "FF 7F")]
    [InlineData(16_384, "80 80 01")]
    [InlineData(2_097_151, "FF FF 7F")]
    [InlineData(2_097_152, "80 80 80 01")]
    [InlineData(268_435_455, "FF FF FF 7F")]
    public void RemainingLengthUsesTheSpecVariableLengthEncoding(int value, string hex)
    {
        var span = new byte[4];
        var length = Fleet.Mqtt.Formatter.MqttPacketWriter.WriteVariableByteInteger(span, value);
        span[..length].ShouldBe(Codec.Hex(hex));

        var header = new byte[] { 0x30 }.Concat(Codec.Hex(hex)).ToArray();
        Fleet.Mqtt.Formatter.MqttPacketReader.TryReadFixedHeader(new System.Buffers.ReadOnlySequence<byte>(header), int.MaxValue, out _, out var headerLength, out var remaining)
            .ShouldBeTrue();
        remaining.ShouldBe(value);
        headerLength.ShouldBe(1 + length);
    }

    [Fact]
    public void LargePayloadUsesMultiByteRemainingLength()
    {
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        var bytes = Codec.Encode(new MqttPublishPacket("big", payload, MqttQualityOfServiceLevel.AtMostOnce));

        bytes.Length.ShouldBe(1 + 3 + 2 + 3 + payload.Length);
        var decoded = (MqttPublishPacket)Codec.DecodeSingle(bytes);
        decoded.Payload.ToArray().ShouldBe(payload);
    }

    [Fact]
    public void EncodingRefusesStringsThatMqttCannotCarry()
    {
        Should.Throw<ArgumentException>(() => Codec.Encode(new MqttPublishPacket("a\0b", default, MqttQualityOfServiceLevel.AtMostOnce)));
        Should.Throw<ArgumentException>(() => Codec.Encode(new MqttPublishPacket("\ud800", default, MqttQualityOfServiceLevel.AtMostOnce)));
        Should.Throw<ArgumentException>(() => Codec.Encode(new MqttPublishPacket(new string('a', 65_536), default, MqttQualityOfServiceLevel.AtMostOnce)));
    }
}
