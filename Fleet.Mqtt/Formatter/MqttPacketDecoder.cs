using System.Buffers.Binary;
using System.Text;
using Fleet.Mqtt.Packets;
using static Fleet.Mqtt.MqttProtocolViolationReason;

namespace Fleet.Mqtt.Formatter;

/// <summary>Decodes the variable header and payload of one packet whose fixed header was already checked.</summary>
internal static class MqttPacketDecoder
{
    /// <summary>Checks the fixed-header flags that 2.2.2 mandates for each packet type.</summary>
    public static void ValidateFixedHeader(byte first)
    {
        var type = first >> 4;
        var flags = first & 0x0F;
        switch (type)
        {
            case 0 or 15:
                throw Violation(ReservedPacketType, $"packet type {type} is reserved");
            case (int)MqttPacketType.Publish:
                var qos = (flags >> 1) & 0b11;
                if (qos == 3)
                {
                    throw Violation(InvalidQualityOfService, "PUBLISH with QoS 3");
                }

                if (qos == 0 && (flags & 0b1000) != 0)
                {
                    throw Violation(InvalidFixedHeaderFlags, "PUBLISH with QoS 0 must have DUP 0");
                }

                break;
            case (int)MqttPacketType.PubRel or (int)MqttPacketType.Subscribe or (int)MqttPacketType.Unsubscribe:
                if (flags != 0b0010)
                {
                    throw Violation(InvalidFixedHeaderFlags, $"{(MqttPacketType)type} flags must be 0010, got {Convert.ToString(flags, 2).PadLeft(4, '0')}");
                }

                break;
            default:
                if (flags != 0)
                {
                    throw Violation(InvalidFixedHeaderFlags, $"{(MqttPacketType)type} flags must be 0000, got {Convert.ToString(flags, 2).PadLeft(4, '0')}");
                }

                break;
        }
    }

    public static MqttPacket Decode(byte first, ReadOnlySpan<byte> body)
    {
        var type = (MqttPacketType)(first >> 4);
        var reader = new BodyReader(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.ConnAck => DecodeConnAck(body),
            MqttPacketType.Publish => DecodePublish(first, ref reader),
            MqttPacketType.PubAck => new MqttPubAckPacket(DecodeIdentifierOnly(type, body)),
            MqttPacketType.PubRec => new MqttPubRecPacket(DecodeIdentifierOnly(type, body)),
            MqttPacketType.PubRel => new MqttPubRelPacket(DecodeIdentifierOnly(type, body)),
            MqttPacketType.PubComp => new MqttPubCompPacket(DecodeIdentifierOnly(type, body)),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader),
            MqttPacketType.SubAck => DecodeSubAck(ref reader),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader),
            MqttPacketType.UnsubAck => new MqttUnsubAckPacket(DecodeIdentifierOnly(type, body)),
            MqttPacketType.PingReq => DecodeEmpty(type, body, MqttPingReqPacket.Instance),
            MqttPacketType.PingResp => DecodeEmpty(type, body, MqttPingRespPacket.Instance),
            MqttPacketType.Disconnect => DecodeEmpty(type, body, MqttDisconnectPacket.Instance),
            _ => throw Violation(ReservedPacketType, $"packet type {(int)type} is reserved"),
        };
        return packet;
    }

    private static MqttConnectPacket DecodeConnect(ref BodyReader reader)
    {
        var name = reader.ReadBinary();
        if (!name.SequenceEqual("MQTT"u8))
        {
            throw Violation(UnsupportedProtocol, "protocol name is not \"MQTT\"");
        }

        var level = reader.ReadByte();
        if (level != 4)
        {
            throw Violation(UnsupportedProtocol, $"protocol level {level} is not 4 (MQTT 3.1.1)");
        }

        var flags = reader.ReadByte();
        var hasUser = (flags & 0x80) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var willRetain = (flags & 0x20) != 0;
        var willQos = (flags >> 3) & 0b11;
        var hasWill = (flags & 0x04) != 0;
        var cleanSession = (flags & 0x02) != 0;
        if ((flags & 0x01) != 0)
        {
            throw Violation(InvalidConnectFlags, "reserved CONNECT flag is set");
        }

        if (willQos == 3)
        {
            throw Violation(InvalidConnectFlags, "will QoS 3");
        }

        if (!hasWill && (willQos != 0 || willRetain))
        {
            throw Violation(InvalidConnectFlags, "will QoS or retain set without the will flag");
        }

        if (hasPassword && !hasUser)
        {
            throw Violation(InvalidConnectFlags, "password flag set without user name flag");
        }

        var keepAlive = reader.ReadUInt16();
        var clientId = reader.ReadString();
        MqttWill? will = null;
        if (hasWill)
        {
            var topic = reader.ReadString();
            if (!MqttTopic.IsValidTopicName(topic))
            {
                throw Violation(InvalidTopicName, "will topic is empty or has wildcards");
            }

            will = new MqttWill(topic, reader.ReadBinary().ToArray(), (MqttQualityOfServiceLevel)willQos, willRetain);
        }

        var user = hasUser ? reader.ReadString() : null;
        // Not a conditional expression: null would convert to an empty ReadOnlyMemory through byte[].
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword)
        {
            password = reader.ReadBinary().ToArray();
        }

        reader.EnsureEnd();
        return new MqttConnectPacket(clientId, cleanSession, keepAlive, user, password, will);
    }

    private static MqttConnAckPacket DecodeConnAck(ReadOnlySpan<byte> body)
    {
        if (body.Length != 2)
        {
            throw Violation(InvalidRemainingLength, $"CONNACK remaining length must be 2, got {body.Length}");
        }

        if ((body[0] & 0xFE) != 0)
        {
            throw Violation(MalformedPacket, "CONNACK reserved acknowledge flags are set");
        }

        if (body[1] > (byte)MqttConnectReturnCode.NotAuthorized)
        {
            throw Violation(InvalidReturnCode, $"CONNACK return code {body[1]} is reserved");
        }

        var sessionPresent = body[0] == 1;
        if (sessionPresent && body[1] != 0)
        {
            throw Violation(MalformedPacket, "CONNACK refusing the connection must not report a session");
        }

        return new MqttConnAckPacket(sessionPresent, (MqttConnectReturnCode)body[1]);
    }

    private static MqttPublishPacket DecodePublish(byte first, ref BodyReader reader)
    {
        var qos = (MqttQualityOfServiceLevel)((first >> 1) & 0b11);
        var topic = reader.ReadString();
        if (!MqttTopic.IsValidTopicName(topic))
        {
            throw Violation(InvalidTopicName, $"PUBLISH topic \"{topic}\" is empty or contains a wildcard");
        }

        ushort packetId = 0;
        if (qos != MqttQualityOfServiceLevel.AtMostOnce)
        {
            packetId = ReadPacketId(ref reader);
        }

        // Copied so the payload outlives the receive buffer (handlers may keep it for a later batch commit).
        var payload = reader.ReadRest().ToArray();
        return new MqttPublishPacket(topic, payload, qos, Retain: (first & 0x01) != 0, Dup: (first & 0x08) != 0, packetId);
    }

    private static ushort DecodeIdentifierOnly(MqttPacketType type, ReadOnlySpan<byte> body)
    {
        if (body.Length != 2)
        {
            throw Violation(InvalidRemainingLength, $"{type} remaining length must be 2, got {body.Length}");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(body);
        return id != 0 ? id : throw Violation(InvalidPacketIdentifier, $"{type} with packet identifier 0");
    }

    private static MqttSubscribePacket DecodeSubscribe(ref BodyReader reader)
    {
        var id = ReadPacketId(ref reader);
        var filters = new List<MqttTopicFilter>();
        while (!reader.End)
        {
            var filter = reader.ReadString();
            if (!MqttTopic.IsValidTopicFilter(filter))
            {
                throw Violation(InvalidTopicFilter, $"\"{filter}\" is not a valid topic filter");
            }

            var options = reader.ReadByte();
            if ((options & 0xFC) != 0)
            {
                throw Violation(MalformedPacket, "reserved bits of the requested QoS byte are set");
            }

            if (options == 3)
            {
                throw Violation(InvalidQualityOfService, "requested QoS 3");
            }

            filters.Add(new MqttTopicFilter(filter, (MqttQualityOfServiceLevel)options));
        }

        return filters.Count > 0 ? new MqttSubscribePacket(id, filters) : throw Violation(MalformedPacket, "SUBSCRIBE without topic filters");
    }

    private static MqttSubAckPacket DecodeSubAck(ref BodyReader reader)
    {
        var id = ReadPacketId(ref reader);
        var codes = reader.ReadRest();
        if (codes.IsEmpty)
        {
            throw Violation(MalformedPacket, "SUBACK without return codes");
        }

        foreach (var code in codes)
        {
            if (code > 2 && code != MqttSubAckPacket.Failure)
            {
                throw Violation(InvalidReturnCode, $"SUBACK return code 0x{code:X2} is reserved");
            }
        }

        return new MqttSubAckPacket(id, codes.ToArray());
    }

    private static MqttUnsubscribePacket DecodeUnsubscribe(ref BodyReader reader)
    {
        var id = ReadPacketId(ref reader);
        var filters = new List<string>();
        while (!reader.End)
        {
            var filter = reader.ReadString();
            if (!MqttTopic.IsValidTopicFilter(filter))
            {
                throw Violation(InvalidTopicFilter, $"\"{filter}\" is not a valid topic filter");
            }

            filters.Add(filter);
        }

        return filters.Count > 0 ? new MqttUnsubscribePacket(id, filters) : throw Violation(MalformedPacket, "UNSUBSCRIBE without topic filters");
    }

    private static MqttPacket DecodeEmpty(MqttPacketType type, ReadOnlySpan<byte> body, MqttPacket instance) =>
        body.IsEmpty ? instance : throw Violation(InvalidRemainingLength, $"{type} remaining length must be 0, got {body.Length}");

    private static ushort ReadPacketId(ref BodyReader reader)
    {
        var id = reader.ReadUInt16();
        return id != 0 ? id : throw Violation(InvalidPacketIdentifier, "packet identifier 0");
    }

    internal static MqttProtocolViolationException Violation(MqttProtocolViolationReason reason, string message) => new(reason, message);

    /// <summary>Bounds-checked cursor; every read past the end is a malformed packet, never an IndexOutOfRange.</summary>
    private ref struct BodyReader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _position;

        public readonly bool End => _position == _body.Length;

        public byte ReadByte()
        {
            if (_position >= _body.Length)
            {
                throw Violation(MalformedPacket, "packet ends inside a field");
            }

            return _body[_position++];
        }

        public ushort ReadUInt16()
        {
            if (_body.Length - _position < 2)
            {
                throw Violation(MalformedPacket, "packet ends inside a two-byte field");
            }

            var value = BinaryPrimitives.ReadUInt16BigEndian(_body[_position..]);
            _position += 2;
            return value;
        }

        public ReadOnlySpan<byte> ReadBinary()
        {
            var length = ReadUInt16();
            if (_body.Length - _position < length)
            {
                throw Violation(MalformedPacket, $"a {length}-byte field runs past the end of the packet");
            }

            var value = _body.Slice(_position, length);
            _position += length;
            return value;
        }

        public string ReadString()
        {
            var bytes = ReadBinary();
            if (!MqttUtf8.IsValid(bytes))
            {
                throw Violation(InvalidUtf8String, "string is not well-formed UTF-8 or contains U+0000");
            }

            return Encoding.UTF8.GetString(bytes);
        }

        public ReadOnlySpan<byte> ReadRest()
        {
            var rest = _body[_position..];
            _position = _body.Length;
            return rest;
        }

        public readonly void EnsureEnd()
        {
            if (!End)
            {
                throw Violation(MalformedPacket, $"{_body.Length - _position} unexpected bytes after the last field");
            }
        }
    }
}
