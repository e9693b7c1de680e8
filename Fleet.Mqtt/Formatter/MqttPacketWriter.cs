using System.Buffers;
using System.Buffers.Binary;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Formatter;

/// <summary>Encodes packets straight into an <see cref="IBufferWriter{T}"/> (a PipeWriter in the client), without intermediate arrays.</summary>
internal static class MqttPacketWriter
{
    public static byte[] Encode(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, packet);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPublishPacket publish:
                WritePublish(output, publish);
                break;
            case MqttPacketWithIdentifier ack:
                WriteIdentifierOnly(output, ack);
                break;
            case MqttPingReqPacket or MqttPingRespPacket or MqttDisconnectPacket:
                var span = output.GetSpan(2);
                span[0] = (byte)((int)packet.Type << 4);
                span[1] = 0;
                output.Advance(2);
                break;
            case MqttConnectPacket connect:
                WriteConnect(output, connect);
                break;
            case MqttConnAckPacket connAck:
                var c = output.GetSpan(4);
                c[0] = 0x20;
                c[1] = 2;
                c[2] = connAck.SessionPresent ? (byte)1 : (byte)0;
                c[3] = (byte)connAck.ReturnCode;
                output.Advance(4);
                break;
            case MqttSubscribePacket subscribe:
                WriteSubscribe(output, subscribe);
                break;
            case MqttSubAckPacket subAck:
                WriteSubAck(output, subAck);
                break;
            case MqttUnsubscribePacket unsubscribe:
                WriteUnsubscribe(output, unsubscribe);
                break;
            default:
                throw new ArgumentException($"Cannot encode {packet.GetType().Name}.", nameof(packet));
        }
    }

    /// <summary>Size of the encoded PUBLISH, so callers can check limits before queueing.</summary>
    public static long GetPublishSize(int topicByteCount, MqttQualityOfServiceLevel qos, int payloadLength)
    {
        long remaining = 2 + topicByteCount + (qos == MqttQualityOfServiceLevel.AtMostOnce ? 0 : 2) + (long)payloadLength;
        return remaining > MqttProtocol.MaxRemainingLength ? long.MaxValue : 1 + MqttProtocol.GetVariableByteIntegerSize((int)remaining) + remaining;
    }

    private static void WritePublish(IBufferWriter<byte> output, MqttPublishPacket packet)
    {
        var topicLength = MqttUtf8.GetByteCountForSending(packet.Topic, nameof(packet.Topic));
        var hasId = packet.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
        var remaining = CheckedRemainingLength(2L + topicLength + (hasId ? 2 : 0) + packet.Payload.Length);

        var headerSize = 1 + MqttProtocol.GetVariableByteIntegerSize(remaining) + 2 + topicLength + (hasId ? 2 : 0);
        var span = output.GetSpan(headerSize);
        span[0] = (byte)(0x30
            | (packet.Dup ? 0x08 : 0)
            | ((int)packet.QualityOfServiceLevel << 1)
            | (packet.Retain ? 0x01 : 0));
        var position = 1 + WriteVariableByteInteger(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], (ushort)topicLength);
        position += 2;
        position += MqttUtf8.Strict.GetBytes(packet.Topic, span[position..]);
        if (hasId)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[position..], packet.PacketId);
            position += 2;
        }

        output.Advance(position);
        if (!packet.Payload.IsEmpty)
        {
            output.Write(packet.Payload.Span);
        }
    }

    private static void WriteIdentifierOnly(IBufferWriter<byte> output, MqttPacketWithIdentifier packet)
    {
        var span = output.GetSpan(4);
        span[0] = (byte)(((int)packet.Type << 4) | (packet.Type == MqttPacketType.PubRel ? 0b0010 : 0));
        span[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packet.PacketId);
        output.Advance(4);
    }

    private static void WriteConnect(IBufferWriter<byte> output, MqttConnectPacket packet)
    {
        var clientIdLength = MqttUtf8.GetByteCountForSending(packet.ClientId, nameof(packet.ClientId));
        long remaining = 10 + 2 + clientIdLength;
        byte flags = packet.CleanSession ? (byte)0x02 : (byte)0;
        var willTopicLength = 0;
        if (packet.Will is { } will)
        {
            willTopicLength = MqttUtf8.GetByteCountForSending(will.Topic, nameof(will.Topic));
            remaining += 2 + willTopicLength + 2 + CheckedBinaryLength(will.Payload.Length);
            flags |= (byte)(0x04 | ((int)will.QualityOfServiceLevel << 3) | (will.Retain ? 0x20 : 0));
        }

        var userLength = 0;
        if (packet.Username is { } user)
        {
            userLength = MqttUtf8.GetByteCountForSending(user, nameof(packet.Username));
            remaining += 2 + userLength;
            flags |= 0x80;
        }

        if (packet.Password is { } password)
        {
            remaining += 2 + CheckedBinaryLength(password.Length);
            flags |= 0x40;
        }

        var length = CheckedRemainingLength(remaining);
        var span = output.GetSpan(1 + 4 + length);
        span[0] = 0x10;
        var p = 1 + WriteVariableByteInteger(span[1..], length);
        "\0\u0004MQTT\u0004"u8.CopyTo(span[p..]);
        p += 7;
        span[p++] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], packet.KeepAliveSeconds);
        p += 2;
        p += WriteString(span[p..], packet.ClientId, clientIdLength);
        if (packet.Will is { } w)
        {
            p += WriteString(span[p..], w.Topic, willTopicLength);
            p += WriteBinary(span[p..], w.Payload.Span);
        }

        if (packet.Username is { } u)
        {
            p += WriteString(span[p..], u, userLength);
        }

        if (packet.Password is { } pw)
        {
            p += WriteBinary(span[p..], pw.Span);
        }

        output.Advance(p);
    }

    private static void WriteSubscribe(IBufferWriter<byte> output, MqttSubscribePacket packet)
    {
        if (packet.Filters.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter.", nameof(packet));
        }

        long remaining = 2;
        foreach (var filter in packet.Filters)
        {
            remaining += 2 + MqttUtf8.GetByteCountForSending(filter.Topic, nameof(filter.Topic)) + 1;
        }

        var length = CheckedRemainingLength(remaining);
        var span = output.GetSpan(5 + length);
        span[0] = 0x82;
        var p = 1 + WriteVariableByteInteger(span[1..], length);
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], packet.PacketId);
        p += 2;
        foreach (var filter in packet.Filters)
        {
            p += WriteString(span[p..], filter.Topic, MqttUtf8.Strict.GetByteCount(filter.Topic));
            span[p++] = (byte)filter.QualityOfServiceLevel;
        }

        output.Advance(p);
    }

    private static void WriteSubAck(IBufferWriter<byte> output, MqttSubAckPacket packet)
    {
        var length = CheckedRemainingLength(2L + packet.ReturnCodes.Count);
        var span = output.GetSpan(5 + length);
        span[0] = 0x90;
        var p = 1 + WriteVariableByteInteger(span[1..], length);
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], packet.PacketId);
        p += 2;
        foreach (var code in packet.ReturnCodes)
        {
            span[p++] = code;
        }

        output.Advance(p);
    }

    private static void WriteUnsubscribe(IBufferWriter<byte> output, MqttUnsubscribePacket packet)
    {
        if (packet.Filters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter.", nameof(packet));
        }

        long remaining = 2;
        foreach (var filter in packet.Filters)
        {
            remaining += 2 + MqttUtf8.GetByteCountForSending(filter, nameof(packet.Filters));
        }

        var length = CheckedRemainingLength(remaining);
        var span = output.GetSpan(5 + length);
        span[0] = 0xA2;
        var p = 1 + WriteVariableByteInteger(span[1..], length);
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], packet.PacketId);
        p += 2;
        foreach (var filter in packet.Filters)
        {
            p += WriteString(span[p..], filter, MqttUtf8.Strict.GetByteCount(filter));
        }

        output.Advance(p);
    }

    private static int WriteString(Span<byte> span, string value, int byteCount)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)byteCount);
        return 2 + MqttUtf8.Strict.GetBytes(value, span[2..]);
    }

    private static int WriteBinary(Span<byte> span, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Length);
        value.CopyTo(span[2..]);
        return 2 + value.Length;
    }

    internal static int WriteVariableByteInteger(Span<byte> span, int value)
    {
        var index = 0;
        do
        {
            var encoded = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                encoded |= 0x80;
            }

            span[index++] = encoded;
        }
        while (value > 0);

        return index;
    }

    private static int CheckedRemainingLength(long remaining) => remaining <= MqttProtocol.MaxRemainingLength
        ? (int)remaining
        : throw new ArgumentException($"The packet would need a remaining length of {remaining}; MQTT allows at most {MqttProtocol.MaxRemainingLength}.");

    private static int CheckedBinaryLength(int length) => length <= ushort.MaxValue
        ? length
        : throw new ArgumentException($"MQTT binary fields are limited to {ushort.MaxValue} bytes; this one has {length}.");
}
