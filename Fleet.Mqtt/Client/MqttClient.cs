using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Fleet.Mqtt.Internal;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Client;

/// <summary>
/// MQTT 3.1.1 client. Thread-safe: every member may be called concurrently. One instance holds one connection at a time;
/// the session state (QoS 1 publishes awaiting PUBACK) lives in the instance, so a persistent session resumes correctly
/// when <see cref="ConnectAsync"/> is called again after a connection loss. For automatic reconnects use
/// <see cref="ResilientMqttClient"/>.
/// </summary>
public sealed partial class MqttClient : IMqttClient, IMqttConnectionOwner
{
    private readonly Lock _sync = new();
    private readonly Dictionary<ushort, PendingPublish> _pendingPublishes = [];
    private readonly Dictionary<ushort, PendingRequest> _pendingRequests = [];
    private readonly List<TaskCompletionSource> _pingWaiters = [];
    private readonly Channel<MqttApplicationMessageReceivedEventArgs> _received =
        Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>(new UnboundedChannelOptions { SingleReader = true });

    private MqttConnection? _connection;
    private MqttClientOptions? _options;
    private readonly Queue<PendingPublish> _waitingForSlot = new();
    private int _maxInflight;
    private int _inflightCount;
    private Task? _dispatchLoop;
    private Task _teardown = Task.CompletedTask;
    private bool _connecting;
    private bool _disposed;
    private ushort _lastPacketId;
    private long _publishSequence;

    /// <inheritdoc />
    public event Func<MqttApplicationMessageReceivedEventArgs, Task>? ApplicationMessageReceivedAsync;

    /// <inheritdoc />
    public event Func<MqttClientConnectedEventArgs, Task>? ConnectedAsync;

    /// <inheritdoc />
    public event Func<MqttClientDisconnectedEventArgs, Task>? DisconnectedAsync;

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _connection) is not null;

    /// <inheritdoc />
    public MqttClientOptions? Options => Volatile.Read(ref _options);

    internal MqttConnection? CurrentConnection => Volatile.Read(ref _connection);

    /// <summary>Number of QoS 1 publishes waiting for PUBACK (including ones kept for re-send while disconnected).</summary>
    public int PendingPublishCount
    {
        get
        {
            lock (_sync)
            {
                return _pendingPublishes.Count;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks><see cref="MqttClientOptions.MaxInflightPublishes"/> is taken from the first call; later changes are ignored.</remarks>
    public async Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting || _connection is not null)
            {
                throw new InvalidOperationException("The client is already connected or connecting.");
            }

            _connecting = true;
            if (options.CleanSession)
            {
                FailPendingPublishes(new MqttClientDisconnectedException("A clean session discards publishes that were waiting for PUBACK."));
            }

            if (_maxInflight == 0)
            {
                _maxInflight = options.MaxInflightPublishes;
            }

            _options = options;
            _dispatchLoop ??= Task.Run(DispatchLoopAsync);
        }

        MqttConnection? connection = null;
        var established = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            connection = await MqttConnection.OpenAsync(options, timeout.Token).ConfigureAwait(false);
            var connAck = await connection.HandshakeAsync(CreateConnectPacket(options), timeout.Token).ConfigureAwait(false);
            var result = new MqttClientConnectResult((MqttClientConnectResultCode)connAck.ReturnCode, connAck.SessionPresent);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttConnectingFailedException(result);
            }

            lock (_sync)
            {
                _connecting = false;
                ObjectDisposedException.ThrowIf(_disposed, this);
                _connection = connection;
                established = true;

                // Under the lock, before any new publish can reach this connection: 4.4 requires the re-sends first.
                ResendPendingPublishes(connection);
                connection.Start(this);
            }

            await AsyncEvent.InvokeAsync(ConnectedAsync, new MqttClientConnectedEventArgs(result)).ConfigureAwait(false);
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttCommunicationTimedOutException($"Connecting to {options.Host}:{options.EffectivePort} took longer than {options.Timeout}.");
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            throw new MqttCommunicationException($"Could not connect to {options.Host}:{options.EffectivePort}: {e.Message}", e);
        }
        finally
        {
            if (!established)
            {
                lock (_sync)
                {
                    _connecting = false;
                }

                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        MqttConnection? connection;
        TimeSpan timeout;
        lock (_sync)
        {
            connection = _connection;
            if (connection is null)
            {
                return;
            }

            DetachConnection(new MqttClientDisconnectedException("The client disconnected."));
            timeout = _options!.Timeout;
        }

        try
        {
            connection.TryEnqueue(MqttDisconnectPacket.Instance);
            connection.CompleteOutbox();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await connection.WriteLoop.WaitAsync(bounded.Token).ConfigureAwait(false);

            // Wait for the broker to close its side: closing with unread bytes would send RST and could drop our DISCONNECT.
            await connection.ShutdownSendAsync().ConfigureAwait(false);
            await connection.ReadLoop.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The broker did not close in time; closing ourselves is all that is left.
        }
        finally
        {
            connection.Close(MqttClientDisconnectReason.NormalDisconnection, null);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await AsyncEvent.InvokeAsync(DisconnectedAsync, new MqttClientDisconnectedEventArgs(true, MqttClientDisconnectReason.NormalDisconnection, null))
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        MqttConnection connection;
        TimeSpan timeout;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = _connection ?? throw new MqttClientNotConnectedException();
            timeout = _options!.Timeout;
            _pingWaiters.Add(waiter);
        }

        try
        {
            if (!connection.TryEnqueue(MqttPingReqPacket.Instance))
            {
                throw new MqttClientNotConnectedException();
            }

            await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MqttCommunicationTimedOutException($"No PINGRESP within {timeout}.");
        }
        finally
        {
            lock (_sync)
            {
                _pingWaiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Closes the connection abruptly, without DISCONNECT, so the broker publishes the Will. Call
    /// <see cref="DisconnectAsync"/> first for a clean end. Fails every publish still waiting for PUBACK.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var connection = MarkDisposed();
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await _teardown.ConfigureAwait(false);
    }

    /// <summary>Like <see cref="DisposeAsync"/> but does not wait for the background loops to finish.</summary>
    public void Dispose() => MarkDisposed()?.Close(MqttClientDisconnectReason.ClientDisposed, null);

    void IMqttConnectionOwner.OnConnectionClosed(MqttConnection connection)
    {
        MqttClientDisconnectedEventArgs args;
        lock (_sync)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }

            DetachConnection(new MqttClientDisconnectedException($"The connection was lost ({connection.CloseReason}).", connection.CloseException));
            args = new MqttClientDisconnectedEventArgs(true, connection.CloseReason, connection.CloseException);

            // Off the loop that noticed the end: the handler may reconnect, which must not wait on that loop.
            _teardown = Task.Run(async () =>
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                await AsyncEvent.InvokeAsync(DisconnectedAsync, args).ConfigureAwait(false);
            });
        }
    }

    private MqttConnection? MarkDisposed()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            var connection = _connection;
            var failure = new ObjectDisposedException(nameof(MqttClient));
            if (connection is not null)
            {
                DetachConnection(failure);
            }

            FailPendingPublishes(failure);
            _received.Writer.TryComplete();
            return connection;
        }
    }

    /// <summary>Called under the lock when the current connection ends: what belongs to the connection fails, the session stays.</summary>
    private void DetachConnection(Exception failure)
    {
        _connection = null;
        foreach (var request in _pendingRequests.Values)
        {
            request.Completion.TrySetException(failure);
        }

        _pendingRequests.Clear();
        foreach (var waiter in _pingWaiters)
        {
            waiter.TrySetException(failure);
        }

        _pingWaiters.Clear();
        if (_options!.CleanSession)
        {
            FailPendingPublishes(failure);
        }
    }

    private void FailPendingPublishes(Exception failure)
    {
        foreach (var pending in _pendingPublishes.Values)
        {
            pending.Completion.TrySetException(failure);
        }

        _pendingPublishes.Clear();
        _inflightCount = 0;
        while (_waitingForSlot.TryDequeue(out var waiting))
        {
            if (!waiting.Cancelled)
            {
                waiting.Completion.TrySetException(failure);
            }
        }
    }

    private void ResendPendingPublishes(MqttConnection connection)
    {
        if (_pendingPublishes.Count == 0)
        {
            return;
        }

        foreach (var pending in _pendingPublishes.Values.OrderBy(p => p.Sequence))
        {
            if (pending.Sent)
            {
                pending.Packet = pending.Packet! with { Dup = true };
            }

            pending.Sent = true;
            connection.TryEnqueue(pending.Packet!);
        }
    }

    private ushort AllocatePacketId()
    {
        for (var attempt = 0; attempt < ushort.MaxValue; attempt++)
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
            if (!_pendingPublishes.ContainsKey(_lastPacketId) && !_pendingRequests.ContainsKey(_lastPacketId))
            {
                return _lastPacketId;
            }
        }

        throw new InvalidOperationException("All 65,535 packet identifiers are in use.");
    }

    private static MqttConnectPacket CreateConnectPacket(MqttClientOptions options) => new(
        options.ClientId,
        options.CleanSession,
        (ushort)options.KeepAlivePeriod.TotalSeconds,
        options.Username,
        options.Password,
        options.WillMessage is { } will ? new MqttWill(will.Topic, will.Payload, will.QualityOfServiceLevel, will.Retain) : null);
}
