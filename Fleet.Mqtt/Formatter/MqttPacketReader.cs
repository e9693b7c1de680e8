using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Fleet.Mqtt.Packets;
using static Fleet.Mqtt.MqttProtocolViolationReason;

namespace Fleet.Mqtt.Formatter;

/// <summary>
/// Incremental packet parser over bytes that arrive in arbitrary chunks (for example a <see cref="System.IO.Pipelines.PipeReader"/> buffer).
/// </summary>
internal static class MqttPacketReader
{
    /// <summary>
    /// Parses one packet from the start of <paramref name="buffer"/>.
    /// Returns false when more bytes are needed (nothing consumed); on success advances <paramref name="buffer"/> past the packet.
    /// Throws <see cref="MqttProtocolViolationException"/> as soon as the bytes seen so far cannot start a valid packet,
    /// including a declared size above <paramref name="maximumPacketSize"/>, without waiting for the body to arrive.
    /// </summary>
    public static bool TryReadPacket(ref ReadOnlySequence<byte> buffer, int maximumPacketSize, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        if (!TryReadFixedHeader(buffer, maximumPacketSize, out var first, out var headerLength, out var remainingLength))
        {
            return false;
        }

        if (buffer.Length - headerLength < remainingLength)
        {
            return false;
        }

        var body = buffer.Slice(headerLength, remainingLength);
        packet = DecodeBody(first, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Parses the fixed header: type/flags byte and the 1-4 byte remaining length (2.2.3).</summary>
    public static bool TryReadFixedHeader(in ReadOnlySequence<byte> buffer, int maximumPacketSize, out byte first, out int headerLength, out int remainingLength)
    {
        first = 0;
        headerLength = 0;
        remainingLength = 0;
        if (buffer.IsEmpty)
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[5];
        scoped ReadOnlySpan<byte> header = buffer.FirstSpan;
        if (header.Length < 5 && !buffer.IsSingleSegment)
        {
            var available = (int)Math.Min(5, buffer.Length);
            buffer.Slice(0, available).CopyTo(copy);
            header = copy[..available];
        }

        first = header[0];
        MqttPacketDecoder.ValidateFixedHeader(first);

        var multiplier = 1;
        var index = 1;
        byte encoded;
        do
        {
            if (index == 5)
            {
                throw MqttPacketDecoder.Violation(MalformedRemainingLength, "remaining length uses more than four bytes");
            }

            if (index >= header.Length)
            {
                return false;
            }

            encoded = header[index++];
            remainingLength += (encoded & 0x7F) * multiplier;
            multiplier <<= 7;
        }
        while ((encoded & 0x80) != 0);

        headerLength = index;
        if ((long)headerLength + remainingLength > maximumPacketSize)
        {
            throw MqttPacketDecoder.Violation(PacketTooLarge, $"packet of {headerLength + (long)remainingLength} bytes exceeds the maximum of {maximumPacketSize}");
        }

        return true;
    }

    private static MqttPacket DecodeBody(byte first, in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return MqttPacketDecoder.Decode(first, body.FirstSpan);
        }

        // Rare: the packet straddles buffer segments. Flatten it once.
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return MqttPacketDecoder.Decode(first, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
