using System.Buffers;
using System.IO.Pipelines;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Formatter;

public class IncrementalParsingTests
{
    private static MqttPacket RandomPacket(Random random)
    {
        ushort Id() => (ushort)random.Next(1, 65_536);
        byte[] Bytes(int max) => Enumerable.Range(0, random.Next(max)).Select(_ => (byte)random.Next(256)).ToArray();
        return random.Next(14) switch
        {
            0 => new MqttConnectPacket($"c{random.Next()}", random.Next(2) == 0, (ushort)random.Next(65_536), "user", Bytes(10),
                new MqttWill("w/t", Bytes(20), MqttQualityOfServiceLevel.AtLeastOnce, true)),
            1 => new MqttConnAckPacket(random.Next(2) == 0, MqttConnectReturnCode.Accepted),
            2 => new MqttPublishPacket($"t/{random.Next()}", Bytes(random.Next(2) == 0 ? 50 : 40_000), MqttQualityOfServiceLevel.AtLeastOnce, random.Next(2) == 0, random.Next(2) == 0, Id()),
            3 => new MqttPublishPacket("q0", Bytes(300), MqttQualityOfServiceLevel.AtMostOnce),
            4 => new MqttPubAckPacket(Id()),
            5 => new MqttPubRecPacket(Id()),
            6 => new MqttPubRelPacket(Id()),
            7 => new MqttPubCompPacket(Id()),
            8 => new MqttSubscribePacket(Id(), [new MqttTopicFilter("a/+", MqttQualityOfServiceLevel.AtLeastOnce), new MqttTopicFilter("$share/g/#")]),
            9 => new MqttSubAckPacket(Id(), [1, 0x80]),
            10 => new MqttUnsubscribePacket(Id(), ["a/+"]),
            11 => new MqttUnsubAckPacket(Id()),
            12 => MqttPingReqPacket.Instance,
            _ => MqttDisconnectPacket.Instance,
        };
    }

    [Fact]
    public async Task PacketsArrivingInRandomChunksThroughAPipeAreAllDecodedInOrder()
    {
        var random = new Random(20_240_601);
        var packets = Enumerable.Range(0, 400).Select(_ => RandomPacket(random)).ToList();
        var stream = packets.SelectMany(Codec.Encode).ToArray();
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 512));

        var writer = Task.Run(async () =>
        {
            var chunks = new Random(7);
            for (var offset = 0; offset < stream.Length;)
            {
                var length = Math.Min(chunks.Next(1, chunks.Next(2) == 0 ? 9 : 3_000), stream.Length - offset);
                await pipe.Writer.WriteAsync(stream.AsMemory(offset, length));
                offset += length;
            }

            await pipe.Writer.CompleteAsync();
        });

        var decoded = new List<MqttPacket>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out var packet))
            {
                decoded.Add(packet);
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                buffer.IsEmpty.ShouldBeTrue();
                break;
            }
        }

        await writer;
        decoded.Count.ShouldBe(packets.Count);
        for (var i = 0; i < packets.Count; i++)
        {
            Codec.Encode(decoded[i]).ShouldBe(Codec.Encode(packets[i]), $"packet {i} ({packets[i].Type})");
        }
    }

    [Fact]
    public void PacketsSplitAcrossManySmallSegmentsDecode()
    {
        var random = new Random(99);
        for (var i = 0; i < 300; i++)
        {
            var packet = RandomPacket(random);
            var bytes = Codec.Encode(packet);
            var buffer = Sequences.Split(bytes, random, maxSegment: 5);
            MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out var decoded).ShouldBeTrue();
            buffer.IsEmpty.ShouldBeTrue();
            Codec.Encode(decoded!).ShouldBe(bytes);
        }
    }

    [Fact]
    public void SeveralPacketsInOneBufferAreReadOneAfterAnother()
    {
        var bytes = Codec.Encode(new MqttPubAckPacket(1)).Concat(Codec.Encode(MqttPingRespPacket.Instance)).Concat(Codec.Encode(new MqttPubAckPacket(2))[..3]).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);

        MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out var first).ShouldBeTrue();
        MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out var second).ShouldBeTrue();
        MqttPacketReader.TryReadPacket(ref buffer, Codec.NoLimit, out _).ShouldBeFalse();

        first.ShouldBe(new MqttPubAckPacket(1));
        second.ShouldBeOfType<MqttPingRespPacket>();
        buffer.Length.ShouldBe(3);
    }
}
