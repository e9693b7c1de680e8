using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Internal;

/// <summary>Receives what one connection reads and learns when it ends.</summary>
internal interface IMqttConnectionOwner
{
    /// <summary>Called on the read loop for each packet; must not block. Throwing closes the connection.</summary>
    void OnPacketReceived(MqttConnection connection, MqttPacket packet);

    /// <summary>Called once, on whichever thread noticed the end first.</summary>
    void OnConnectionClosed(MqttConnection connection);
}

/// <summary>
/// One TCP/TLS connection: a single writer loop that drains a channel into a PipeWriter and flushes only when the channel
/// is empty (so concurrent publishers share socket writes), a read loop that parses packets incrementally from a
/// PipeReader, and the keep-alive timer.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Channel<OutgoingPacket> _outbox = Channel.CreateUnbounded<OutgoingPacket>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly CancellationTokenSource _closing = new();
    private readonly int _maximumPacketSize;
    private readonly long _keepAliveMs;
    private IMqttConnectionOwner? _owner;
    private int _closed;
    private long _lastSentMs;
    private long _lastReceivedMs;
    private long _lastPingMs;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;
    private bool _started;
    private long _flushCount;

    private MqttConnection(Socket socket, Stream stream, int maximumPacketSize, TimeSpan keepAlive, int bufferSize)
    {
        _socket = socket;
        _stream = stream;
        _maximumPacketSize = maximumPacketSize;
        _keepAliveMs = (long)keepAlive.TotalMilliseconds;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: bufferSize, minimumReadSize: bufferSize / 4, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: bufferSize, leaveOpen: true));
        Acks = new IncomingAckQueue(this);
    }

    /// <summary>PUBACK ordering for QoS 1 messages received on this connection.</summary>
    public IncomingAckQueue Acks { get; }

    public MqttClientDisconnectReason CloseReason { get; private set; }

    public Exception? CloseException { get; private set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Socket writes issued by the writer loop (tests check that publishes are coalesced).</summary>
    public long FlushCount => Interlocked.Read(ref _flushCount);

    /// <summary>Completes when the writer has flushed everything after <see cref="CompleteOutbox"/>, or has failed.</summary>
    public Task WriteLoop => _writeLoop;

    /// <summary>Completes when the read loop has seen the end of the stream or failed.</summary>
    public Task ReadLoop => _readLoop;

    public static async Task<MqttConnection> OpenAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.EffectivePort, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.UseTls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(MqttTls.CreateAuthenticationOptions(options), cancellationToken).ConfigureAwait(false);
            }

            return new MqttConnection(socket, stream, options.MaximumPacketSize, options.KeepAlivePeriod, options.BufferSize);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends CONNECT and reads the first packet, which must be CONNACK. Runs before the loops start.</summary>
    public async Task<MqttConnAckPacket> HandshakeAsync(MqttConnectPacket connect, CancellationToken cancellationToken)
    {
        MqttPacketWriter.Write(_output, connect);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (MqttPacketReader.TryReadPacket(ref buffer, _maximumPacketSize, out var packet))
            {
                // Consumed only: bytes after CONNACK (queued messages) stay readable for the read loop.
                _input.AdvanceTo(buffer.Start);
                return packet as MqttConnAckPacket
                    ?? throw new MqttProtocolViolationException(MqttProtocolViolationReason.UnexpectedPacket, $"expected CONNACK, got {packet.Type}");
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MqttCommunicationException("The broker closed the connection before sending CONNACK.");
            }
        }
    }

    public void Start(IMqttConnectionOwner owner)
    {
        _owner = owner;
        var now = Environment.TickCount64;
        _lastSentMs = now;
        _lastReceivedMs = now;
        _lastPingMs = now;
        _started = true;
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
        if (_keepAliveMs > 0)
        {
            _keepAliveLoop = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>Queues a packet for the writer loop; false once the connection is closing.</summary>
    public bool TryEnqueue(MqttPacket packet, TaskCompletionSource? written = null) =>
        _outbox.Writer.TryWrite(new OutgoingPacket(packet, written));

    /// <summary>No more packets: the writer flushes what is queued and ends (graceful disconnect).</summary>
    public void CompleteOutbox() => _outbox.Writer.TryComplete();

    /// <summary>Half-closes after a graceful DISCONNECT, so the broker sees FIN after our last bytes, not RST.</summary>
    public async Task ShutdownSendAsync()
    {
        try
        {
            if (_stream is SslStream ssl)
            {
                await ssl.ShutdownAsync().ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone; the close that follows is all that is left to do.
        }
    }

    /// <summary>Ends the connection once; later calls do nothing. The first reason wins.</summary>
    public void Close(MqttClientDisconnectReason reason, Exception? exception)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        CloseException = exception;

        // Complete before cancelling: afterwards no TryEnqueue can succeed, so the writer's final drain sees everything.
        _outbox.Writer.TryComplete();
        _closing.Cancel();
        _stream.Dispose();
        _owner?.OnConnectionClosed(this);
    }

    public async ValueTask DisposeAsync()
    {
        Close(MqttClientDisconnectReason.ClientDisposed, null);
        await Task.WhenAll(_readLoop, _writeLoop, _keepAliveLoop).ConfigureAwait(false);
        if (!_started)
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            await CompleteQuietlyAsync(_output).ConfigureAwait(false);
        }

        _closing.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        Volatile.Write(ref _lastReceivedMs, Environment.TickCount64);
                    }

                    while (MqttPacketReader.TryReadPacket(ref buffer, _maximumPacketSize, out var packet))
                    {
                        _owner!.OnPacketReceived(this, packet);
                    }

                    if (result.IsCompleted)
                    {
                        if (!buffer.IsEmpty)
                        {
                            throw new MqttProtocolViolationException(MqttProtocolViolationReason.TruncatedPacket, $"the connection ended {buffer.Length} bytes into a packet");
                        }

                        Close(MqttClientDisconnectReason.ConnectionClosedByServer, null);
                        return;
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (MqttProtocolViolationException e)
        {
            Close(MqttClientDisconnectReason.ProtocolViolation, e);
        }
        catch (Exception e)
        {
            Close(MqttClientDisconnectReason.TransportError, e);
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outbox.Reader;
        List<TaskCompletionSource>? written = null;
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    MqttPacketWriter.Write(_output, item.Packet);
                    if (item.Written is not null)
                    {
                        (written ??= []).Add(item.Written);
                    }

                    if (_output.UnflushedBytes >= FlushThreshold)
                    {
                        await FlushAsync(written).ConfigureAwait(false);
                    }
                }

                // The queue is empty: one flush (one socket write) for everything gathered since the last one.
                await FlushAsync(written).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Close(MqttClientDisconnectReason.TransportError, e);
        }
        finally
        {
            var failure = new MqttClientDisconnectedException("The connection closed before the packet was sent.", CloseException);
            if (written is not null)
            {
                foreach (var completion in written)
                {
                    completion.TrySetException(failure);
                }
            }

            while (reader.TryRead(out var item))
            {
                item.Written?.TrySetException(failure);
            }

            await CompleteQuietlyAsync(_output).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(List<TaskCompletionSource>? written)
    {
        await _output.FlushAsync(_closing.Token).ConfigureAwait(false);
        Interlocked.Increment(ref _flushCount);
        Volatile.Write(ref _lastSentMs, Environment.TickCount64);
        if (written is { Count: > 0 })
        {
            foreach (var completion in written)
            {
                completion.TrySetResult();
            }

            written.Clear();
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        // Ping after half a period of silence in either direction. Dead after one and a half periods without hearing the
        // broker: the grace a broker gives its clients (3.1.2.10), which leaves a ping a whole period to be answered.
        var half = _keepAliveMs / 2;
        var deadAfter = _keepAliveMs * 3 / 2;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(_keepAliveMs / 4, 25, 5_000));
        try
        {
            while (true)
            {
                await Task.Delay(tick, _closing.Token).ConfigureAwait(false);
                var now = Environment.TickCount64;
                var sinceReceived = now - Volatile.Read(ref _lastReceivedMs);
                if (sinceReceived >= deadAfter)
                {
                    Close(MqttClientDisconnectReason.KeepAliveTimeout,
                        new MqttCommunicationTimedOutException($"Nothing received from the broker for {sinceReceived} ms (keep-alive {_keepAliveMs} ms)."));
                    return;
                }

                var idle = sinceReceived >= half || now - Volatile.Read(ref _lastSentMs) >= half;
                if (idle && now - _lastPingMs >= half)
                {
                    _lastPingMs = now;
                    TryEnqueue(MqttPingReqPacket.Instance);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async ValueTask CompleteQuietlyAsync(PipeWriter output)
    {
        try
        {
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The stream is already closed; nothing buffered can be delivered anyway.
        }
    }

    private readonly record struct OutgoingPacket(MqttPacket Packet, TaskCompletionSource? Written);
}
