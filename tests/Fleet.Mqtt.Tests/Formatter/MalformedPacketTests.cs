using System.Buffers;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;
using static Fleet.Mqtt.MqttProtocolViolationReason;

namespace Fleet.Mqtt.Tests.Formatter;

public class MalformedPacketTests
{
    private static void ShouldViolate(string hex, MqttProtocolViolationReason reason, int maximumPacketSize = Codec.NoLimit)
    {
        var buffer = new ReadOnlySequence<byte>(Codec.Hex(hex));
        var exception = Should.Throw<MqttProtocolViolationException>(() => MqttPacketReader.TryReadPacket(ref buffer, maximumPacketSize, out _));
        exception.Reason.ShouldBe(reason);
    }

    private static bool NeedsMoreData(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out _))
        {
            return false;
        }

        buffer.Length.ShouldBe(bytes.Length, "nothing may be consumed while waiting for more data");
        return true;
    }

    [Fact]
    public void RemainingLengthWithFiveBytesIsRejected() => ShouldViolate("30 FF FF FF FF 01", MalformedRemainingLength);

    [Fact]
    public void RemainingLengthIsRejectedAsSoonAsTheFourthByteContinues() => ShouldViolate("30 80 80 80 80", MalformedRemainingLength);

    [Fact]
    public void PacketLargerThanTheMaximumIsRejectedBeforeItsBodyArrives() => ShouldViolate("30 C8 01", PacketTooLarge, maximumPacketSize: 100);

    [Fact]
    public void PacketOfExactlyTheMaximumIsAccepted()
    {
        var bytes = Codec.Encode(new MqttPublishPacket("t", new byte[10], MqttQualityOfServiceLevel.AtMostOnce));
        Codec.DecodeSingle(bytes, maximumPacketSize: bytes.Length).ShouldBeOfType<MqttPublishPacket>();
        Should.Throw<MqttProtocolViolationException>(() => Codec.DecodeSingle(bytes, maximumPacketSize: bytes.Length - 1)).Reason.ShouldBe(PacketTooLarge);
    }

    [Fact]
    public void TruncatedPacketsWaitForMoreDataAtEveryCutPoint()
    {
        var bytes = Codec.Encode(new MqttConnectPacket("client", true, 30, "user", new byte[] { 1, 2 },
            new MqttWill("will", new byte[] { 3 }, MqttQualityOfServiceLevel.AtLeastOnce, false)));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            NeedsMoreData(bytes[..cut]).ShouldBeTrue($"cut at {cut}");
        }

        NeedsMoreData(bytes).ShouldBeFalse();
    }

    [Fact]
    public void FieldRunningPastTheDeclaredLengthIsMalformed() => ShouldViolate("30 05 00 0A 61 62 63 64 65", MalformedPacket);

    [Fact]
    public void BytesLeftAfterTheLastFieldAreMalformed() => ShouldViolate("10 10 00 04 4D 51 54 54 04 02 00 3C 00 03 61 62 63 FF", MalformedPacket);

    [Theory]
    [InlineData("80 03 00 01 00")] // SUBSCRIBE must be 0010
    [InlineData("A0 05 00 01 00 01 61")] // UNSUBSCRIBE must be 0010
    [InlineData("60 02 00 01")] // PUBREL must be 0010
    [InlineData("41 02 00 01")] // PUBACK must be 0000
    [InlineData("11 00")] // CONNECT must be 0000
    [InlineData("C8 00")] // PINGREQ must be 0000
    [InlineData("E1 00")] // DISCONNECT must be 0000
    [InlineData("38 03 00 01 74")] // PUBLISH QoS 0 with DUP
    public void WrongFixedHeaderFlagsAreRejected(string hex) => ShouldViolate(hex, InvalidFixedHeaderFlags);

    [Fact]
    public void PublishWithQos3IsRejected() => ShouldViolate("36 05 00 01 74 00 01", InvalidQualityOfService);

    [Theory]
    [InlineData("00 00")]
    [InlineData("F0 00")]
    public void ReservedPacketTypesAreRejected(string hex) => ShouldViolate(hex, ReservedPacketType);

    [Theory]
    [InlineData("32 05 00 01 74 00 00")] // PUBLISH QoS 1
    [InlineData("40 02 00 00")] // PUBACK
    [InlineData("82 06 00 00 00 01 74 00")] // SUBSCRIBE
    [InlineData("90 03 00 00 00")] // SUBACK
    [InlineData("B0 02 00 00")] // UNSUBACK
    public void PacketIdentifierZeroIsRejected(string hex) => ShouldViolate(hex, InvalidPacketIdentifier);

    [Theory]
    [InlineData("30 04 00 02 C3 28")] // invalid continuation byte
    [InlineData("30 05 00 03 ED A0 80")] // UTF-16 surrogate D800 encoded in UTF-8
    [InlineData("30 04 00 02 C0 80")] // overlong encoding of U+0000
    [InlineData("30 05 00 03 61 00 62")] // U+0000 itself
    [InlineData("30 03 00 01 FF")] // never valid in UTF-8
    public void InvalidUtf8StringsAreRejected(string hex) => ShouldViolate(hex, InvalidUtf8String);

    [Theory]
    [InlineData("30 05 00 03 61 2F 2B")] // a/+
    [InlineData("30 05 00 03 61 2F 23")] // a/#
    [InlineData("30 02 00 00")] // empty topic
    public void PublishTopicWithWildcardOrEmptyIsRejected(string hex) => ShouldViolate(hex, InvalidTopicName);

    [Theory]
    [InlineData("82 08 00 01 00 03 61 23 62 00")] // a#b
    [InlineData("82 08 00 01 00 03 23 2F 61 00")] // #/a
    [InlineData("82 07 00 01 00 02 61 2B 00")] // a+
    [InlineData("82 0C 00 01 00 07 24 73 68 61 72 65 2F 00")] // $share/ without group
    public void InvalidTopicFiltersAreRejected(string hex) => ShouldViolate(hex, InvalidTopicFilter);

    [Fact]
    public void SubscribeRequestingQos3IsRejected() => ShouldViolate("82 06 00 01 00 01 74 03", InvalidQualityOfService);

    [Fact]
    public void SubscribeWithReservedOptionBitsIsRejected() => ShouldViolate("82 06 00 01 00 01 74 04", MalformedPacket);

    [Fact]
    public void SubscribeWithoutFiltersIsRejected() => ShouldViolate("82 02 00 01", MalformedPacket);

    [Fact]
    public void UnsubscribeWithoutFiltersIsRejected() => ShouldViolate("A2 02 00 01", MalformedPacket);

    [Fact]
    public void SubAckWithReservedReturnCodeIsRejected() => ShouldViolate("90 03 00 01 03", InvalidReturnCode);

    [Fact]
    public void SubAckWithoutReturnCodesIsRejected() => ShouldViolate("90 02 00 01", MalformedPacket);

    [Theory]
    [InlineData("20 03 00 00 00", InvalidRemainingLength)]
    [InlineData("20 02 00 06", InvalidReturnCode)]
    [InlineData("20 02 02 00", MalformedPacket)] // reserved acknowledge flag
    [InlineData("20 02 01 05", MalformedPacket)] // session present with a refusal
    public void MalformedConnAckIsRejected(string hex, MqttProtocolViolationReason reason) => ShouldViolate(hex, reason);

    [Theory]
    [InlineData("40 03 00 01 00")]
    [InlineData("40 01 00")]
    [InlineData("C0 01 00")]
    [InlineData("E0 02 00 00")]
    [InlineData("B0 03 00 01 00")]
    public void FixedSizePacketsWithAnotherLengthAreRejected(string hex) => ShouldViolate(hex, InvalidRemainingLength);

    [Theory]
    [InlineData("10 0D 00 06 4D 51 49 73 64 70 03 02 00 3C 00 00 00", UnsupportedProtocol)] // MQIsdp (3.1)
    [InlineData("10 0C 00 04 4D 51 54 54 05 02 00 3C 00 00 00", UnsupportedProtocol)] // level 5
    [InlineData("10 0C 00 04 4D 51 54 54 04 03 00 3C 00 00", InvalidConnectFlags)] // reserved flag
    [InlineData("10 0C 00 04 4D 51 54 54 04 1E 00 3C 00 00", InvalidConnectFlags)] // will QoS 3
    [InlineData("10 0C 00 04 4D 51 54 54 04 42 00 3C 00 00", InvalidConnectFlags)] // password without user name
    [InlineData("10 0C 00 04 4D 51 54 54 04 22 00 3C 00 00", InvalidConnectFlags)] // will retain without will
    [InlineData("10 0C 00 04 4D 51 54 54 04 0A 00 3C 00 00", InvalidConnectFlags)] // will QoS without will
    public void MalformedConnectIsRejected(string hex, MqttProtocolViolationReason reason) => ShouldViolate(hex, reason);

    [Fact]
    public void ConnectWithWillTopicWildcardIsRejected() =>
        ShouldViolate("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 23 00 01 78", InvalidTopicName);
}
