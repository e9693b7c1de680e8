using Fleet.Mqtt;
using Fleet.Mqtt.Client;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Broker;

/// <summary>One message from the broker, still unacknowledged: it is acknowledged only after its effects are committed.</summary>
public sealed record IncomingMessage(string Topic, ReadOnlyMemory<byte> Payload, DateTimeOffset ReceivedAt, MqttApplicationMessageReceivedEventArgs? Delivery)
{
    public Task AcknowledgeAsync() => Delivery?.AcknowledgeAsync() ?? Task.CompletedTask;
}

/// <summary>
/// The API's single connection to Mosquitto: a persistent session (clean session false) subscribed to every headset's
/// events and status, plainly (one instance, survives a broker restart) or through the shared subscription when several
/// instances split the load (<see cref="BrokerOptions.SharedSubscription"/>). Received messages are handed, in arrival
/// order and unacknowledged, to the <see cref="Consumer"/>; the broker's in-flight window bounds how many are outstanding.
/// </summary>
public sealed class BrokerConnection(IOptions<BrokerOptions> options, TimeProvider time, ILogger<BrokerConnection> log) : IHostedService, IAsyncDisposable
{
    private readonly BrokerOptions _o = options.Value;
    private ResilientMqttClient? _client;

    /// <summary>
    /// Takes each received message, on the client's dispatch thread and in order (the ingester parses it there and
    /// queues it for its writer). Set before the host starts; the ingester does it in its constructor.
    /// </summary>
    public Func<IncomingMessage, ValueTask>? Consumer { get; set; }

    public bool Enabled => _o.Enabled;
    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>Raised after every (re)connection, e.g. so retained state can be re-published.</summary>
    public event Func<Task>? Connected;

    public Task StartAsync(CancellationToken ct)
    {
        if (!_o.Enabled) return Task.CompletedTask;
        if (string.IsNullOrEmpty(_o.Password))
            throw new InvalidOperationException($"{BrokerOptions.Section}:Password is not set; the API cannot connect to the broker as '{_o.Username}'.");
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_o.Host, _o.Port)
            .WithClientId(_o.ClientId)
            .WithCredentials(_o.Username, _o.Password)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_o.KeepAliveSeconds))
            .WithMaxInflightPublishes(1000);
        if (_o.UseTls) builder = builder.WithTlsOptions(t => { if (_o.CaFile is { } ca) t.WithCaFile(ca); });
        _client = new ResilientMqttClient(builder.Build(), new ResilientMqttClientOptions
        {
            InitialReconnectDelay = TimeSpan.FromMilliseconds(500),
            MaxReconnectDelay = TimeSpan.FromSeconds(15),
        });
        _client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var m = e.ApplicationMessage;
            var consumer = Consumer ?? throw new InvalidOperationException("No consumer for broker messages; the ingester sets one.");
            await consumer(new IncomingMessage(m.Topic, m.Payload, time.GetUtcNow(), e));
        };
        _client.ConnectedAsync += async e =>
        {
            log.LogInformation("Connected to the broker at {Host}:{Port} as {User}", _o.Host, _o.Port, _o.Username);
            // Mosquitto 2.0.11 restores a persistent session from its database after a restart but not the session's shared
            // subscriptions: with those, subscribe again whenever a session is resumed. (The client itself re-subscribes
            // when the broker has no session; plain subscriptions the broker keeps.)
            if (e.ConnectResult.IsSessionPresent && _o.SharedSubscription) _ = SubscribeWhenConnectedAsync(_client);
            if (Connected is { } handlers)
            {
                foreach (var h in handlers.GetInvocationList().Cast<Func<Task>>())
                {
                    try { await h(); } catch (Exception ex) { log.LogError(ex, "A broker connection listener failed"); }
                }
            }
        };
        _client.ConnectingFailedAsync += e =>
        {
            log.LogWarning("Cannot reach the broker at {Host}:{Port} (attempt {Attempt}): {Error}", _o.Host, _o.Port, e.AttemptNumber, e.Exception.Message);
            return Task.CompletedTask;
        };
        _ = SubscribeWhenConnectedAsync(_client);
        return _client.StartAsync(ct);
    }

    private async Task SubscribeWhenConnectedAsync(ResilientMqttClient client)
    {
        try
        {
            var topics = _o.Topics;
            var (events, status) = _o.SharedSubscription
                ? (topics.SharedEvents(_o.SharedGroup), topics.SharedStatus(_o.SharedGroup))
                : (topics.AllEvents, topics.AllStatus);
            var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(events, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(status, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            foreach (var item in result.Items.Where(i => i.ResultCode == MqttClientSubscribeResultCode.UnspecifiedError))
                log.LogError("The broker refused the subscription {Topic}; check the API account's ACL.", item.TopicFilter.Topic);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Subscribing to headset events failed");
        }
    }

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken ct)
    {
        if (_client is null) throw new InvalidOperationException("The broker connection is disabled.");
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build(), ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_client is not null) await _client.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
    }
}
