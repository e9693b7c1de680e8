using System.Buffers;

namespace Fleet.Mqtt.Tests.Support;

/// <summary>Builds multi-segment sequences, as a PipeReader hands them out when data arrives in pieces.</summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, Random random, int maxSegment = 7)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = Math.Min(random.Next(1, maxSegment + 1), bytes.Length - offset);
            var segment = new Segment(bytes.AsMemory(offset, length));
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Append(segment);
            }

            last = segment;
            offset += length;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
