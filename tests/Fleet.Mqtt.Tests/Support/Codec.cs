using System.Buffers;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Tests.Support;

internal static class Codec
{
    public const int NoLimit = MqttProtocol.MaxPacketSize;

    public static byte[] Encode(MqttPacket packet) => MqttPacketWriter.Encode(packet);

    /// <summary>Decodes exactly one packet that must fill the whole buffer.</summary>
    public static MqttPacket DecodeSingle(byte[] bytes, int maximumPacketSize = NoLimit)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (!MqttPacketReader.TryReadPacket(ref buffer, maximumPacketSize, out var packet))
        {
            throw new InvalidOperationException("Needs more data.");
        }

        if (!buffer.IsEmpty)
        {
            throw new InvalidOperationException($"{buffer.Length} bytes left over.");
        }

        return packet;
    }

    public static T RoundTrip<T>(T packet)
        where T : MqttPacket
    {
        var bytes = Encode(packet);
        var decoded = DecodeSingle(bytes);
        var again = Encode(decoded);
        if (!again.AsSpan().SequenceEqual(bytes))
        {
            throw new InvalidOperationException($"Re-encoding the decoded packet gave different bytes: {Convert.ToHexString(bytes)} vs {Convert.ToHexString(again)}; {decoded}");
        }

        return (T)decoded;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}
