using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using Polly;
using Polly.Retry;

namespace Fleet.Messaging;

/// <summary>
/// Keeps one MQTTnet client connected, which MQTTnet 5 leaves to its users (it has no managed client): reconnects with
/// exponential backoff and jitter (Polly), resumes the persistent session, and subscribes again whenever the broker
/// has no session for us. Refusals and disconnects are logged with the broker's reason code.
/// </summary>
/// <remarks>
/// Receive messages through <see cref="Client"/>'s <c>ApplicationMessageReceivedAsync</c> (it survives reconnects).
/// A QoS 1 publish interrupted by a disconnect fails; MQTTnet does not re-send it on the next connection, so callers
/// that must not lose a message keep it until something later confirms it (the agent's outbox does exactly that).
/// </remarks>
public sealed class ResilientMqttConnection : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ResiliencePipeline _reconnect;
    private readonly ILogger _log;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1); // a stop and a dispose may race (a host stops while its container disposes)
    private readonly Dictionary<string, MqttTopicFilter> _subscriptions = [];
    // Filters the broker has not answered on this connection's session yet; a resumed session may predate them.
    private readonly HashSet<string> _unanswered = [];
    private TaskCompletionSource _connected = NewSignal();
    private TaskCompletionSource _lost = NewSignal();
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;

    /// <param name="options">MQTTnet client options; use a fixed client id and a session expiry so the session persists.</param>
    /// <param name="reconnect">Backoff settings, or null for the defaults.</param>
    /// <param name="log">Where connection changes and refusals are logged.</param>
    public ResilientMqttConnection(MqttClientOptions options, ReconnectOptions? reconnect = null, ILogger? log = null)
    {
        _options = options;
        _log = log ?? NullLogger.Instance;
        var r = reconnect ?? new ReconnectOptions();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _reconnect = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException and not ObjectDisposedException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = r.InitialDelay,
                MaxDelay = r.MaxDelay,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is BrokerRefusedException refused)
                        _log.LogWarning("The broker refused {ClientId}: {Reason}{ReasonString}; retrying in {Delay}", ClientId, refused.Result.ResultCode,
                            string.IsNullOrEmpty(refused.Result.ReasonString) ? "" : $" ({refused.Result.ReasonString})", args.RetryDelay);
                    return RaiseAsync(ConnectingFailed, new ConnectAttemptFailed(args.Outcome.Exception!, args.AttemptNumber, args.RetryDelay));
                },
            })
            .Build();
    }

    /// <summary>The MQTTnet client; subscribe to its message event, but leave connecting and disconnecting to this class.</summary>
    public IMqttClient Client => _client;

    public string ClientId => _options.ClientId;

    /// <summary>Subscribe again after every connection that resumed a session too (Mosquitto 2.0.11 forgets shared subscriptions on restart).</summary>
    public bool ResubscribeOnResumedSession { get; init; }

    public bool IsConnected
    {
        get
        {
            lock (_sync) return _connected.Task.IsCompleted && _client.IsConnected;
        }
    }

    /// <summary>Raised after each connection, once its subscriptions are in place.</summary>
    public event Func<MqttClientConnectResult, ValueTask>? Connected;

    /// <summary>Raised after each failed attempt, before the backoff delay (a refusal is a <see cref="BrokerRefusedException"/>).</summary>
    public event Func<ConnectAttemptFailed, ValueTask>? ConnectingFailed;

    /// <summary>Raised when an established connection ends, with the broker's reason when it gave one.</summary>
    public event Func<MqttClientDisconnectedEventArgs, ValueTask>? Disconnected;

    /// <summary>Starts connecting in the background and returns at once.</summary>
    public void Start()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping is not null) throw new InvalidOperationException("Already started.");
            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    public Task WaitUntilConnectedAsync(CancellationToken ct = default)
    {
        lock (_sync) return _connected.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Remembers the filters and subscribes now if connected, else as soon as it is (also when the broker resumes a
    /// session that predates them); all are subscribed again when a session is lost.
    /// </summary>
    public async Task SubscribeAsync(IEnumerable<MqttTopicFilter> filters, CancellationToken ct = default)
    {
        var list = filters.ToList();
        bool connected;
        lock (_sync)
        {
            foreach (var f in list)
            {
                _subscriptions[f.Topic] = f;
                _unanswered.Add(f.Topic);
            }
            connected = _connected.Task.IsCompleted && _client.IsConnected;
        }
        if (connected) await SubscribeNowAsync(list, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes once the connection is up (waiting as long as <paramref name="ct"/> allows). A refusal by the broker
    /// (an MQTT 5 reason code of 0x80 or more, e.g. not authorised) is logged and thrown.
    /// </summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken ct = default)
    {
        await WaitUntilConnectedAsync(ct).ConfigureAwait(false);
        var result = await _client.PublishAsync(message, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            _log.LogWarning("The broker refused a publish to {Topic}: {Reason} {ReasonString}", message.Topic, result.ReasonCode, result.ReasonString);
            throw new PublishRefusedException(message.Topic, result);
        }
    }

    /// <summary>Stops reconnecting and disconnects cleanly (the broker discards the Will).</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_disposed || !await EndLoopAsync().ConfigureAwait(false)) return;
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException)
        {
            _log.LogDebug(e, "Disconnecting {ClientId} did not complete cleanly", ClientId);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops reconnecting and drops the connection without DISCONNECT, so the broker publishes the Will.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                if (_disposed) return;
                _disposed = true;
            }
            await EndLoopAsync().ConfigureAwait(false);
            _client.Dispose();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task<bool> EndLoopAsync()
    {
        CancellationTokenSource? stopping;
        Task loop;
        lock (_sync)
        {
            (stopping, _stopping, loop) = (_stopping, null, _loop);
        }
        if (stopping is null) return false;
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stopping.Dispose();
        return true;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var result = await _reconnect.ExecuteAsync(ConnectOnceAsync, stopping).ConfigureAwait(false);
                _log.LogInformation("{ClientId} connected to the broker (session {Session})", ClientId, result.IsSessionPresent ? "resumed" : "new");
                await SubscribeMissingAsync(all: !result.IsSessionPresent || ResubscribeOnResumedSession, stopping).ConfigureAwait(false);
                await RaiseAsync(Connected, result).ConfigureAwait(false);
                await WaitForLossAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                // Subscribing failed (the connection dropped again, or the broker did not answer): start over after a pause.
                _log.LogWarning(e, "{ClientId}: setting up the connection failed; reconnecting", ClientId);
                try
                {
                    if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptions(), stopping).ConfigureAwait(false);
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (MqttCommunicationException)
                {
                }
            }
            finally
            {
                lock (_sync)
                {
                    if (_connected.Task.IsCompleted) _connected = NewSignal();
                }
            }
        }
    }

    private async ValueTask<MqttClientConnectResult> ConnectOnceAsync(CancellationToken ct)
    {
        lock (_sync)
        {
            if (_lost.Task.IsCompleted) _lost = NewSignal();
        }
        if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptions(), ct).ConfigureAwait(false);
        // MQTTnet applies the options' Timeout only to a token that cannot be cancelled; a broker that accepts TCP but
        // never answers CONNECT would otherwise hold this attempt until we stop.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(_options.Timeout);
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_options, attempt.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (attempt.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // MQTTnet reports the cancelled wait for CONNACK as "connection closed"; say what happened.
            throw new MqttCommunicationTimedOutException(e);
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(result);
        return result;
    }

    private async Task WaitForLossAsync(CancellationToken stopping)
    {
        Task lost;
        lock (_sync) lost = _lost.Task;
        if (!_client.IsConnected) return;
        await lost.WaitAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// Subscribes what the session lacks, then marks the connection up. The check for nothing left and the mark share
    /// the lock, so a filter given meanwhile is either sent by the next round here or by <see cref="SubscribeAsync"/>.
    /// </summary>
    private async Task SubscribeMissingAsync(bool all, CancellationToken ct)
    {
        if (all)
        {
            lock (_sync) _unanswered.UnionWith(_subscriptions.Keys);
        }
        while (true)
        {
            List<MqttTopicFilter> missing;
            lock (_sync)
            {
                missing = [.. _subscriptions.Where(kv => _unanswered.Contains(kv.Key)).Select(kv => kv.Value)];
                if (missing.Count == 0)
                {
                    _connected.TrySetResult();
                    return;
                }
            }
            foreach (var chunk in missing.Chunk(100)) await SubscribeNowAsync(chunk, ct).ConfigureAwait(false);
        }
    }

    private async Task SubscribeNowAsync(IReadOnlyCollection<MqttTopicFilter> filters, CancellationToken ct)
    {
        if (filters.Count == 0) return;
        var options = new MqttClientSubscribeOptions();
        options.TopicFilters.AddRange(filters);
        var result = await _client.SubscribeAsync(options, ct).ConfigureAwait(false);
        lock (_sync) _unanswered.ExceptWith(filters.Select(f => f.Topic));
        foreach (var item in result.Items.Where(i => (int)i.ResultCode >= 0x80))
        {
            _log.LogError("The broker refused the subscription {Topic} for {ClientId}: {Reason}; check its ACL", item.TopicFilter.Topic, ClientId, item.ResultCode);
            lock (_sync) _subscriptions.Remove(item.TopicFilter.Topic);
        }
    }

    private async Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        lock (_sync) _lost.TrySetResult();
        if (e.ClientWasConnected)
        {
            bool stopping;
            lock (_sync) stopping = _stopping is null;
            if (!stopping)
                _log.LogWarning("{ClientId} lost the broker: {Reason}{ReasonString}{Error}", ClientId, e.Reason,
                    string.IsNullOrEmpty(e.ReasonString) ? "" : $" ({e.ReasonString})", e.Exception is null ? "" : $" - {e.Exception.Message}");
            await RaiseAsync(Disconnected, e).ConfigureAwait(false);
        }
    }

    private async ValueTask RaiseAsync<T>(Func<T, ValueTask>? handlers, T args)
    {
        if (handlers is null) return;
        foreach (var h in handlers.GetInvocationList().Cast<Func<T, ValueTask>>())
        {
            try
            {
                await h(args).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogError(e, "A connection listener of {ClientId} failed", ClientId);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Backoff between reconnect attempts: exponential from <see cref="InitialDelay"/> up to <see cref="MaxDelay"/>, with jitter.</summary>
public sealed record ReconnectOptions
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>One failed connection attempt.</summary>
/// <param name="Exception">Why: a <see cref="BrokerRefusedException"/> when the broker answered with a refusal.</param>
/// <param name="AttemptNumber">Failed attempts since the connection was lost, from 0.</param>
/// <param name="RetryDelay">How long until the next attempt.</param>
public sealed record ConnectAttemptFailed(Exception Exception, int AttemptNumber, TimeSpan RetryDelay);

/// <summary>The broker answered CONNECT with a refusal (bad credentials, not authorised, banned client id...).</summary>
public sealed class BrokerRefusedException(MqttClientConnectResult result)
    : Exception($"The broker refused the connection: {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})")}")
{
    public MqttClientConnectResult Result => result;
}

/// <summary>The broker answered a QoS 1 publish with an MQTT 5 refusal reason code.</summary>
public sealed class PublishRefusedException(string topic, MqttClientPublishResult result)
    : Exception($"The broker refused the publish to {topic}: {result.ReasonCode}")
{
    public MqttClientPublishResult Result => result;
}
