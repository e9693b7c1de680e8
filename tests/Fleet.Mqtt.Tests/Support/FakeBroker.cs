using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Tests.Support;

/// <summary>A scripted MQTT peer on a loopback port: the test decides what it answers, and when it stops answering.</summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<FakeBrokerConnection> _connections = [];

    public FakeBroker() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<FakeBrokerConnection> AcceptAsync()
    {
        var socket = await _listener.AcceptSocketAsync().WaitAsync(Timeouts.Default);
        var connection = new FakeBrokerConnection(socket);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Accepts a connection, reads CONNECT and answers CONNACK.</summary>
    public async Task<(FakeBrokerConnection Connection, MqttConnectPacket Connect)> AcceptClientAsync(
        bool sessionPresent = false, MqttConnectReturnCode code = MqttConnectReturnCode.Accepted)
    {
        var connection = await AcceptAsync();
        var connect = await connection.ReceiveAsync<MqttConnectPacket>();
        await connection.SendAsync(new MqttConnAckPacket(sessionPresent, code));
        return (connection, connect);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}

internal sealed class FakeBrokerConnection(Socket socket) : IAsyncDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private PipeReader? _reader;

    private PipeReader Reader => _reader ??= PipeReader.Create(_stream);

    public async Task<MqttPacket> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeouts.Default);
        while (true)
        {
            var result = await Reader.ReadAsync(cancel.Token);
            var buffer = result.Buffer;
            if (MqttPacketReader.TryReadPacket(ref buffer, MqttProtocol.MaxPacketSize, out var packet))
            {
                Reader.AdvanceTo(buffer.Start);
                return packet;
            }

            Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The client closed the connection.");
            }
        }
    }

    public async Task<T> ReceiveAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        var packet = await ReceiveAsync(timeout);
        return packet as T ?? throw new InvalidOperationException($"Expected {typeof(T).Name}, got {packet}.");
    }

    /// <summary>Completes when the client closes the connection; fails on timeout.</summary>
    public async Task WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeouts.Default);
        while (true)
        {
            var result = await Reader.ReadAsync(cancel.Token);
            Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    public Task SendAsync(MqttPacket packet) => SendRawAsync(MqttPacketWriter.Encode(packet));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public void Abort() => socket.Close(0);

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.CompleteAsync();
        }

        await _stream.DisposeAsync();
    }
}
