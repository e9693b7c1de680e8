using System.Buffers;
using System.Net.Sockets;
using System.Text;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Fleet.Bench;

/// <summary>
/// One load connection that costs the load generator little CPU: MQTTnet's own packet formatter encodes the CONNECT
/// and the QoS 1 PUBLISH packets and decodes what the broker answers, and every message due on the connection goes
/// out in ONE socket write (as an agent flushing its outbox does), where MQTTnet's client spends a write, a task and
/// a PUBACK wait per message (about 33 µs each: 0.5 of this machine's 2 cores at 15,000 events/s). What is ours is
/// only the framing of the broker's replies (a fixed header and a length) and the count of PUBACKs.
/// </summary>
public sealed class PacketConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly MqttPacketFormatterAdapter _formatter = new(MqttProtocolVersion.V500, new MqttBufferWriter(4096, 1 << 20));
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private readonly string _topic;
    private Task _reading = Task.CompletedTask;
    private ushort _packetId;
    private long _sent, _acked;
    private volatile Exception? _failure;
    private volatile bool _closing;

    private PacketConnection(Socket socket, string topic)
    {
        (_stream, _topic) = (new NetworkStream(socket, ownsSocket: true), topic);
    }

    public long Sent => _sent;
    public long Acked => Interlocked.Read(ref _acked);
    public long InFlight => _sent - Acked;

    /// <summary>Connects with MQTT 5 and the account's credentials; throws with the broker's reason if it refuses.</summary>
    public static async Task<PacketConnection> ConnectAsync(string host, int port, Publisher p, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, ct);
        var c = new PacketConnection(socket, p.Topic);
        await c.WriteAsync(new MqttConnectPacket
        {
            ClientId = p.ClientId ?? "bench-" + p.HeadsetId + "-" + Guid.NewGuid().ToString("N")[..6],
            Username = p.Username, Password = Encoding.UTF8.GetBytes(p.Password), CleanSession = true, KeepAlivePeriod = 0,
        }, ct);
        var reader = new Reader(c._stream);
        if (c.Decode(await reader.NextAsync(ct)) is not MqttConnAckPacket { ReasonCode: MqttConnectReasonCode.Success })
            throw new InvalidOperationException($"The broker refused {p.Username}");
        c._reading = Task.Run(() => c.ReadAcksAsync(reader, ct), CancellationToken.None);
        return c;
    }

    /// <summary>Encodes <paramref name="count"/> QoS 1 publishes and sends them in one write; payloads from <paramref name="payload"/>.</summary>
    public async Task PublishAsync(int count, Func<long, byte[]> payload, CancellationToken ct)
    {
        if (_failure is not null) throw new InvalidOperationException("The broker refused a publish", _failure);
        _out.ResetWrittenCount();
        for (var i = 0; i < count; i++)
        {
            if (++_packetId == 0) _packetId = 1; // 0 is not a packet identifier
            Append(new MqttPublishPacket
            {
                Topic = _topic, PayloadSegment = payload(_sent + i + 1),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce, PacketIdentifier = _packetId,
            });
        }
        _sent += count;
        await _stream.WriteAsync(_out.WrittenMemory, ct);
    }

    /// <summary>Waits until the broker has acknowledged everything sent, or the timeout passes.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (InFlight > 0 && _failure is null && DateTime.UtcNow < until) await Task.Delay(5);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing first: the broker answers DISCONNECT by closing the socket, which ends the pending read.
        _closing = true;
        try
        {
            await WriteAsync(new MqttDisconnectPacket(), CancellationToken.None);
        }
        catch (IOException)
        {
            // Already closed by the broker: nothing to say goodbye to.
        }
        _stream.Dispose();
        await _reading; // ends when the socket closes
        if (_failure is not null) throw new InvalidOperationException("The broker refused a publish", _failure);
    }

    private async Task WriteAsync(MqttPacket packet, CancellationToken ct)
    {
        _out.ResetWrittenCount();
        Append(packet);
        await _stream.WriteAsync(_out.WrittenMemory, ct);
    }

    private void Append(MqttPacket packet)
    {
        var buffer = _formatter.Encode(packet);
        _out.Write(buffer.Packet);
        foreach (var segment in buffer.Payload) _out.Write(segment.Span);
    }

    private MqttPacket Decode(ReceivedMqttPacket packet) => _formatter.Decode(packet);

    private async Task ReadAcksAsync(Reader reader, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                switch (Decode(await reader.NextAsync(ct)))
                {
                    case MqttPubAckPacket { ReasonCode: MqttPubAckReasonCode.Success or MqttPubAckReasonCode.NoMatchingSubscribers }:
                        Interlocked.Increment(ref _acked);
                        break;
                    case MqttPubAckPacket nack:
                        throw new InvalidOperationException($"PUBACK {nack.ReasonCode}");
                    case MqttDisconnectPacket d:
                        throw new InvalidOperationException($"The broker disconnected: {d.ReasonCode}");
                }
            }
        }
        catch (Exception e)
        {
            // Disposing the stream to close ends the pending read with an exception: that one is the goodbye.
            if (!_closing) _failure = e;
        }
    }

    /// <summary>Splits what the broker sends into packets: a type byte, a variable-length size, the body.</summary>
    private sealed class Reader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        public async Task<ReceivedMqttPacket> NextAsync(CancellationToken ct)
        {
            while (true)
            {
                if (TryFrame(out var packet)) return packet;
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    (_end, _start) = (_end - _start, 0);
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
                if (read == 0) throw new IOException("The broker closed the connection.");
                _end += read;
            }
        }

        private bool TryFrame(out ReceivedMqttPacket packet)
        {
            packet = default;
            var length = 0;
            for (int i = 1, shift = 0; ; i++, shift += 7)
            {
                if (i > 4) throw new InvalidDataException("A packet length longer than four bytes.");
                if (_start + i >= _end) return false;
                var b = _buffer[_start + i];
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) != 0) continue;
                var header = i + 1;
                if (_start + header + length > _end) return false;
                // The body is copied: the decoder may keep slices of it, and the buffer is reused.
                packet = new ReceivedMqttPacket(_buffer[_start], new ArraySegment<byte>(_buffer[(_start + header)..(_start + header + length)]), header + length);
                _start += header + length;
                return true;
            }
        }
    }
}
