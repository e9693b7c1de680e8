using System.Buffers;
using System.Diagnostics;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Formatter;

/// <summary>Whatever the bytes, the decoder answers "packet", "need more data" or a protocol violation, and quickly.</summary>
public class FuzzTests
{
    private static readonly byte[][] Seeds =
    [
        Codec.Encode(new MqttConnectPacket("client", true, 30, "user", new byte[] { 1, 2 }, new MqttWill("w", new byte[] { 3 }, MqttQualityOfServiceLevel.AtLeastOnce, true))),
        Codec.Encode(new MqttConnAckPacket(true, MqttConnectReturnCode.Accepted)),
        Codec.Encode(new MqttPublishPacket("a/b/c", "hello"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, true, true, 77)),
        Codec.Encode(new MqttPublishPacket("x", "y"u8.ToArray(), MqttQualityOfServiceLevel.AtMostOnce)),
        Codec.Encode(new MqttPubAckPacket(5)),
        Codec.Encode(new MqttPubRelPacket(5)),
        Codec.Encode(new MqttSubscribePacket(3, [new MqttTopicFilter("a/+/#", MqttQualityOfServiceLevel.AtLeastOnce), new MqttTopicFilter("$share/g/t")])),
        Codec.Encode(new MqttSubAckPacket(3, [0, 1, 0x80])),
        Codec.Encode(new MqttUnsubscribePacket(4, ["a", "b/#"])),
        Codec.Encode(new MqttUnsubAckPacket(4)),
        Codec.Encode(MqttPingReqPacket.Instance),
        Codec.Encode(MqttDisconnectPacket.Instance),
    ];

    [Fact]
    public void RandomBytesOnlyEverYieldPacketsNeedMoreDataOrProtocolViolations()
    {
        var random = new Random(1_311);
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var input = iteration % 2 == 0 ? RandomBytes(random) : Mutate(Seeds[random.Next(Seeds.Length)], random);
            var outcome = Decode(input, random, maximumPacketSize: random.Next(2) == 0 ? Codec.NoLimit : random.Next(2, 64));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));

        // The corpus must exercise all three outcomes, or the loop proves little.
        outcomes.Keys.ShouldContain("violation");
        outcomes.Keys.ShouldContain("need-more");
        outcomes.Keys.ShouldContain("complete");
    }

    private static string Decode(byte[] input, Random random, int maximumPacketSize)
    {
        var buffer = random.Next(2) == 0 ? new ReadOnlySequence<byte>(input) : Sequences.Split(input, random, maxSegment: 4);
        try
        {
            // Every successful read consumes at least two bytes, so this loop ends.
            for (var reads = 0; reads <= input.Length; reads++)
            {
                if (!MqttPacketReader.TryReadPacket(ref buffer, maximumPacketSize, out var packet))
                {
                    return buffer.IsEmpty ? "complete" : "need-more";
                }

                // Whatever decodes must encode again (the decoder only accepts what the encoder can express).
                Codec.Encode(packet);
            }

            throw new InvalidOperationException("The reader returned more packets than there are bytes.");
        }
        catch (MqttProtocolViolationException)
        {
            return "violation";
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 48)];
        random.NextBytes(bytes);

        // Make plausible headers common: a valid type nibble with a small remaining length.
        if (bytes.Length > 2 && random.Next(2) == 0)
        {
            bytes[0] = (byte)((random.Next(1, 15) << 4) | (random.Next(4) == 0 ? random.Next(16) : 0));
            bytes[1] = (byte)random.Next(0, bytes.Length - 1);
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                break;
            case 1:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            default:
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }

        return bytes;
    }
}
