using Fleet.Mqtt.Internal;
using Polly;
using Polly.Retry;

namespace Fleet.Mqtt.Client;

/// <summary>
/// Keeps an <see cref="MqttClient"/> connected, like MQTTnet's managed client: reconnects with exponential backoff and
/// jitter (Polly), resumes the persistent session, re-subscribes when the broker reports no session, and lets the inner
/// client re-send every unacknowledged QoS 1 publish (same packet id, DUP=1) so pending <see cref="PublishAsync"/> tasks
/// still complete after a broker restart. Calls made while disconnected wait up to
/// <see cref="ResilientMqttClientOptions.MaxWaitForConnection"/> for the connection instead of failing.
/// </summary>
/// <remarks>
/// Use <c>WithCleanSession(false)</c> and a fixed client id: then the broker keeps subscriptions and queued QoS 1 messages
/// while the client is away. With a clean session, a QoS 1 publish interrupted by a disconnect is published again as a new
/// message after reconnecting (still at least once).
/// </remarks>
public sealed class ResilientMqttClient : IAsyncDisposable
{
    private const int ResubscribeBatchSize = 100;

    private readonly MqttClient _client = new();
    private readonly MqttClientOptions _clientOptions;
    private readonly ResilientMqttClientOptions _options;
    private readonly ResiliencePipeline _reconnect;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, MqttTopicFilter> _subscriptions = [];
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _connectionLost;
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Creates a stopped client; call <see cref="StartAsync"/>.</summary>
    /// <param name="clientOptions">Connection settings (validated here).</param>
    /// <param name="options">Reconnect settings, or null for defaults.</param>
    public ResilientMqttClient(MqttClientOptions clientOptions, ResilientMqttClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        clientOptions.Validate();
        _clientOptions = clientOptions;
        _options = options ?? new ResilientMqttClientOptions();
        if (_options.InitialReconnectDelay <= TimeSpan.Zero || _options.MaxReconnectDelay < _options.InitialReconnectDelay)
        {
            throw new ArgumentException("Reconnect delays must be positive, and the maximum at least the initial delay.", nameof(options));
        }

        _reconnect = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException and not ObjectDisposedException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.InitialReconnectDelay,
                MaxDelay = _options.MaxReconnectDelay,
                OnRetry = args => new ValueTask(AsyncEvent.InvokeAsync(
                    ConnectingFailedAsync,
                    new ConnectingFailedEventArgs(args.Outcome.Exception!, args.AttemptNumber, args.RetryDelay))),
            })
            .Build();
        _client.DisconnectedAsync += _ =>
        {
            Volatile.Read(ref _connectionLost)?.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Same as <see cref="IMqttClient.ApplicationMessageReceivedAsync"/>; keeps working across reconnects.</summary>
    public event Func<MqttApplicationMessageReceivedEventArgs, Task>? ApplicationMessageReceivedAsync
    {
        add => _client.ApplicationMessageReceivedAsync += value;
        remove => _client.ApplicationMessageReceivedAsync -= value;
    }

    /// <summary>Raised after each successful (re)connect, before re-subscribing.</summary>
    public event Func<MqttClientConnectedEventArgs, Task>? ConnectedAsync
    {
        add => _client.ConnectedAsync += value;
        remove => _client.ConnectedAsync -= value;
    }

    /// <summary>Raised whenever the connection ends.</summary>
    public event Func<MqttClientDisconnectedEventArgs, Task>? DisconnectedAsync
    {
        add => _client.DisconnectedAsync += value;
        remove => _client.DisconnectedAsync -= value;
    }

    /// <summary>Raised after each failed connection attempt, before the backoff delay.</summary>
    public event Func<ConnectingFailedEventArgs, Task>? ConnectingFailedAsync;

    /// <summary>The wrapped client (for inspection; do not connect or disconnect it yourself).</summary>
    public MqttClient InternalClient => _client;

    /// <summary>True between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsStarted
    {
        get
        {
            lock (_sync)
            {
                return _stopping is not null;
            }
        }
    }

    /// <summary>True while connected (and re-subscribed, if that was needed).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _connected.Task.IsCompleted && _client.IsConnected;
            }
        }
    }

    /// <summary>Starts connecting in the background and returns at once; see <see cref="WaitUntilConnectedAsync"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping is not null)
            {
                throw new InvalidOperationException("Already started.");
            }

            _stopping = new CancellationTokenSource();
            var stopping = _stopping.Token;
            _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until the client is connected (and re-subscribed).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops reconnecting and disconnects cleanly (DISCONNECT is sent, so the broker discards the Will). Calls waiting for
    /// a connection fail with <see cref="MqttClientNotConnectedException"/>. With a persistent session, QoS 1 publishes
    /// still awaiting PUBACK stay pending: they complete after a later <see cref="StartAsync"/>, or fail on dispose.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stopping;
        Task loop;
        lock (_sync)
        {
            stopping = _stopping;
            _stopping = null;
            loop = _loop;
        }

        if (stopping is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stopping.Dispose();
        await _client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes through the current connection, waiting (bounded) for a reconnect if there is none. QoS 1 completes on
    /// PUBACK, even if that arrives only after one or more reconnects.
    /// </summary>
    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken = default) =>
        WhileConnectedAsync(() => _client.PublishAsync(applicationMessage, cancellationToken), cancellationToken);

    /// <summary>
    /// Subscribes and remembers the filters, so they are re-subscribed after reconnecting to a broker that lost the session.
    /// Filters the broker refuses (0x80) are not remembered.
    /// </summary>
    public async Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_sync)
        {
            foreach (var filter in options.TopicFilters)
            {
                _subscriptions[filter.Topic] = filter;
            }
        }

        var result = await WhileConnectedAsync(() => _client.SubscribeAsync(options, cancellationToken), cancellationToken).ConfigureAwait(false);
        ForgetRefused(result);
        return result;
    }

    /// <summary>Unsubscribes and forgets the filters.</summary>
    public Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_sync)
        {
            foreach (var filter in options.TopicFilters)
            {
                _subscriptions.Remove(filter);
            }
        }

        return WhileConnectedAsync(() => _client.UnsubscribeAsync(options, cancellationToken), cancellationToken);
    }

    /// <summary>Stops reconnecting and closes the connection abruptly (the Will is published); call <see cref="StopAsync"/> first for a clean end.</summary>
    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? stopping;
        Task loop;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            stopping = _stopping;
            _stopping = null;
            loop = _loop;
        }

        if (stopping is not null)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            stopping.Dispose();
        }

        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var result = await _reconnect.ExecuteAsync(
                    async token => await _client.ConnectAsync(_clientOptions, token).ConfigureAwait(false), stopping).ConfigureAwait(false);
                if (!result.IsSessionPresent)
                {
                    await ResubscribeAsync(stopping).ConfigureAwait(false);
                }

                lock (_sync)
                {
                    _connected.TrySetResult();
                }

                await WaitForConnectionLossAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception)
            {
                // Re-subscribing failed (the connection dropped again, or the broker did not answer): start over with a
                // fresh connection after a pause, so a broker that keeps failing is not hammered.
                if (!await RecoverAsync(stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
            finally
            {
                lock (_sync)
                {
                    if (_connected.Task.IsCompleted)
                    {
                        _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
    }

    private async Task WaitForConnectionLossAsync(CancellationToken stopping)
    {
        // Re-checked after every signal: a late event from an earlier connection must not end a healthy one.
        while (true)
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _connectionLost, lost);
            if (!_client.IsConnected)
            {
                return;
            }

            await lost.Task.WaitAsync(stopping).ConfigureAwait(false);
        }
    }

    private async Task<bool> RecoverAsync(CancellationToken stopping)
    {
        try
        {
            await _client.DisconnectAsync(stopping).ConfigureAwait(false);
            await Task.Delay(_options.InitialReconnectDelay, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ResubscribeAsync(CancellationToken cancellationToken)
    {
        MqttTopicFilter[] filters;
        lock (_sync)
        {
            filters = [.. _subscriptions.Values];
        }

        foreach (var chunk in filters.Chunk(ResubscribeBatchSize))
        {
            var result = await _client.SubscribeAsync(new MqttClientSubscribeOptions(chunk), cancellationToken).ConfigureAwait(false);
            ForgetRefused(result);
        }
    }

    private void ForgetRefused(MqttClientSubscribeResult result)
    {
        lock (_sync)
        {
            foreach (var item in result.Items)
            {
                if (!item.IsSuccess && _subscriptions.TryGetValue(item.TopicFilter.Topic, out var stored) && stored == item.TopicFilter)
                {
                    _subscriptions.Remove(item.TopicFilter.Topic);
                }
            }
        }
    }

    private async Task<T> WhileConnectedAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        CancellationToken stopping;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            stopping = _stopping?.Token ?? throw new InvalidOperationException("The client is not started.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        deadline.CancelAfter(_options.MaxWaitForConnection);
        while (true)
        {
            Task connected;
            lock (_sync)
            {
                connected = _connected.Task;
            }

            if (connected.IsCompleted && _client.IsConnected)
            {
                try
                {
                    return await operation().ConfigureAwait(false);
                }
                catch (MqttClientNotConnectedException)
                {
                }
                catch (MqttClientDisconnectedException) when (!cancellationToken.IsCancellationRequested && !stopping.IsCancellationRequested)
                {
                    // Interrupted (clean session, or QoS 0 not yet written): do it again on the next connection.
                }
            }

            try
            {
                if (connected.IsCompleted)
                {
                    // The connection just dropped and the reconnect loop has not noticed yet; give it a moment.
                    await Task.Delay(10, deadline.Token).ConfigureAwait(false);
                }
                else
                {
                    await connected.WaitAsync(deadline.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (stopping.IsCancellationRequested)
                {
                    throw new MqttClientNotConnectedException();
                }

                throw new MqttCommunicationTimedOutException($"Not connected to the broker within {_options.MaxWaitForConnection}.");
            }
        }
    }
}
