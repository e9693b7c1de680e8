using Fleet.Messaging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fleet.Api.Broker;

/// <summary>One message from the broker, still unacknowledged: it is acknowledged only after its effects are committed.</summary>
public sealed record IncomingMessage(string Topic, ReadOnlyMemory<byte> Payload, DateTimeOffset ReceivedAt,
    MqttApplicationMessageReceivedEventArgs? Delivery = null, ConnectionLife? Life = null)
{
    /// <summary>
    /// Sends the PUBACK on the connection the message came in on. If that connection has ended, there is nothing to
    /// acknowledge: the broker delivers it again on the resumed session (stored once anyway), or the agent publishes it
    /// again because it was never confirmed; a PUBACK on the new connection could acknowledge a different message that
    /// happens to carry the same packet id.
    /// </summary>
    public async Task AcknowledgeAsync()
    {
        if (Delivery is null || Life is { Ended: true }) return;
        try
        {
            await Delivery.AcknowledgeAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection dropped between the commit and the PUBACK: as above, nothing is lost.
        }
    }
}

/// <summary>One connection to the broker, from its start until it ends.</summary>
public sealed class ConnectionLife
{
    private volatile bool _ended;

    public bool Ended => _ended;

    public void End() => _ended = true;
}

/// <summary>
/// The API's single MQTT 5 connection to Mosquitto (MQTTnet): a persistent session (clean start off, with a session
/// expiry) subscribed to every headset's events and status, plainly (one instance) or through the shared subscription
/// when several instances split the load (<see cref="BrokerOptions.SharedSubscription"/>). Received messages are handed,
/// in arrival order and unacknowledged, to the <see cref="Consumer"/>; the broker's in-flight window bounds how many
/// are outstanding.
/// </summary>
public sealed class BrokerConnection(IOptions<BrokerOptions> options, TimeProvider time, ILogger<BrokerConnection> log) : IHostedService, IAsyncDisposable
{
    private readonly BrokerOptions _o = options.Value;
    private ResilientMqttConnection? _connection;
    private ConnectionLife _life = new();

    /// <summary>
    /// Takes each received message, on the client's dispatch thread and in order (the ingester parses it there and
    /// queues it for its writer). Set before the host starts; the ingester does it in its constructor.
    /// </summary>
    public Func<IncomingMessage, ValueTask>? Consumer { get; set; }

    public bool Enabled => _o.Enabled;
    public bool IsConnected => _connection?.IsConnected == true;

    /// <summary>Raised after every (re)connection, e.g. so retained state can be re-published.</summary>
    public event Func<Task>? Connected;

    public Task StartAsync(CancellationToken ct)
    {
        if (!_o.Enabled) return Task.CompletedTask;
        if (string.IsNullOrEmpty(_o.Password))
            throw new InvalidOperationException($"{BrokerOptions.Section}:Password is not set; the API cannot connect to the broker as '{_o.Username}'.");
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_o.Host, _o.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_o.ClientId)
            .WithCredentials(_o.Username, _o.Password)
            .WithCleanStart(false)
            // While the API is away the broker keeps its session and queues events for this long; past it the agents'
            // outboxes still hold everything not confirmed, so nothing is lost, only re-sent.
            .WithSessionExpiryInterval((uint)_o.SessionExpirySeconds)
            // Unacknowledged messages in flight to the API (MQTT 5 receive maximum). 10,000 stalled ingestion at 15,000
            // events/s in the benchmark (ingest-20261204-1702.md), so the default stays at the protocol's maximum.
            .WithReceiveMaximum((ushort)Math.Clamp(_o.ReceiveMaximum, 100, ushort.MaxValue))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_o.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_o.UseTls) builder = builder.WithFleetTls(_o.CaFile);
        var clientOptions = builder.Build();
        // MQTTnet sets the socket's buffers to 8 KiB, which switches off the kernel's tuning of the receive window. With
        // loopback's 64 KiB segments the window then reopened only on the sender's 200 ms persist timer once it had
        // filled: ingestion fell to ~130 events/s with every process idle until the connection was renewed
        // (ingest-20261205-0856.md; `ss -ti` showed the broker rwnd_limited 90 % against a 7 KiB window).
        if (clientOptions.ChannelOptions is MqttClientTcpOptions tcp) tcp.BufferSize = _o.SocketBufferBytes;
        var connection = new ResilientMqttConnection(clientOptions,
            new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(15) }, log)
        {
            // Mosquitto 2.0.11 restores a persistent session after a restart but not its shared subscriptions.
            ResubscribeOnResumedSession = _o.SharedSubscription,
        };
        connection.Client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var m = e.ApplicationMessage;
            var consumer = Consumer ?? throw new InvalidOperationException("No consumer for broker messages; the ingester sets one.");
            // MQTTnet gives each received packet its own buffer, so holding the payload until the commit is safe.
            var payload = m.Payload.IsSingleSegment ? m.Payload.First : System.Buffers.BuffersExtensions.ToArray(m.Payload);
            await consumer(new IncomingMessage(m.Topic, payload, time.GetUtcNow(), e, _life));
        };
        connection.Client.DisconnectedAsync += _ =>
        {
            Interlocked.Exchange(ref _life, new ConnectionLife()).End();
            return Task.CompletedTask;
        };
        connection.Connected += async _ =>
        {
            if (Connected is not { } handlers) return;
            foreach (var h in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                try { await h(); } catch (Exception ex) { log.LogError(ex, "A broker connection listener failed"); }
            }
        };
        connection.ConnectingFailed += e =>
        {
            if (e.Exception is BrokerRefusedException refused)
                log.LogError("The broker at {Host}:{Port} refused the API as {User}: {Reason}", _o.Host, _o.Port, _o.Username, refused.Result.ResultCode);
            else
                log.LogWarning("Cannot reach the broker at {Host}:{Port} (attempt {Attempt}): {Error}", _o.Host, _o.Port, e.AttemptNumber, e.Exception.Message);
            return ValueTask.CompletedTask;
        };
        var topics = _o.Topics;
        var (events, status) = _o.SharedSubscription
            ? (topics.SharedEvents(_o.SharedGroup), topics.SharedStatus(_o.SharedGroup))
            : (topics.AllEvents, topics.AllStatus);
        _ = connection.SubscribeAsync([
            new MqttTopicFilterBuilder().WithTopic(events).WithAtLeastOnceQoS().Build(),
            // Retained statuses come with a new subscription only: re-subscribing must not replay every headset's last status.
            new MqttTopicFilterBuilder().WithTopic(status).WithAtLeastOnceQoS()
                .WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly).Build(),
        ], ct);
        _connection = connection;
        connection.Start();
        return Task.CompletedTask;
    }

    /// <summary>Publishes QoS 1; <paramref name="expiry"/> becomes the MQTT 5 message expiry, so the broker drops it unsent after that.</summary>
    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken ct, TimeSpan? expiry = null)
    {
        if (_connection is null) throw new InvalidOperationException("The broker connection is disabled.");
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain);
        if (expiry is { } e) message = message.WithMessageExpiryInterval((uint)Math.Max(1, Math.Ceiling(e.TotalSeconds)));
        await _connection.PublishAsync(message.Build(), ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_connection is not null) await _connection.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
