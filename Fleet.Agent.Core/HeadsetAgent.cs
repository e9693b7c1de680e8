using System.Diagnostics;
using System.Text.Json;
using Fleet.Agent.Core.Events;
using Fleet.Agent.Core.Probes;
using Fleet.Agent.Core.Shown;
using Fleet.Agent.Core.Storage;
using Fleet.Contracts;
using Fleet.Contracts.Mqtt;
using Fleet.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fleet.Agent.Core;

/// <summary>
/// The agent of one headset, for any host to embed (the worker program, the simulator, a headset app): it reads the
/// probes, writes every event to the durable outbox before publishing it (QoS 1 over MQTT 5, deleted only once the API
/// confirms it committed it), keeps the
/// retained state Fleet sends and shows "ready / do not use, because ..." (log line, status file, local endpoint),
/// answers every command, and keeps its online status true with a Last Will.
/// </summary>
/// <example>
/// <code>
/// await using var agent = new HeadsetAgent(options, new AgentProbes(battery, deviceInfo) { Worn = proximity });
/// agent.ShownChanged += s => ShowBanner(s.Message);
/// await agent.StartAsync();
/// ...
/// agent.RecordComfortReport(fms: 3, note: null);
/// await agent.StopAsync();      // flushes, publishes {"online":false}, disconnects cleanly
/// </code>
/// </example>
public sealed partial class HeadsetAgent : IAsyncDisposable
{
    private const string LockedSetting = "locked";
    private const string StateSetting = "state";

    private readonly AgentOptions _options;
    private readonly AgentProbes _probes;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Topics _topics;
    private readonly Storage.Outbox _outbox;
    private readonly ResilientMqttConnection _mqtt;
    private readonly OutboxPublisher _publisher;
    private readonly Lock _sync = new();
    private readonly Lock _statusFile = new();
    private readonly List<Task> _loops = [];
    private CancellationTokenSource? _stopping;
    private CancellationTokenSource? _publishing;
    private Task _publisherLoop = Task.CompletedTask;
    private StatusEndpoint? _endpoint;
    private StateMessage? _state;
    private bool _locked;
    private bool _online;
    private ShownState _shown;
    private DateTimeOffset _startedAt;
    private bool _stopped;
    private bool _disposed;

    public HeadsetAgent(AgentOptions options, AgentProbes probes, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        options.Validate();
        _options = options;
        _probes = probes;
        _time = time ?? TimeProvider.System;
        _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Fleet.Agent");
        _topics = new Topics(options.TopicPrefix);
        _outbox = Storage.Outbox.Open(options.OutboxPath, options.HeadsetId,
            new OutboxOptions
            {
                MaxEvents = options.OutboxMaxEvents, Durability = options.OutboxDurability,
                PageSize = options.CompactMemory ? 1024 : 4096, CacheKiB = options.CompactMemory ? 4 : 128,
            }, _log);
        _locked = _outbox.GetSetting(LockedSetting) == "true";
        _state = LoadState(_outbox.GetSetting(StateSetting));
        // Publishes wait for the connection as long as it takes: the outbox, not a timeout, is what keeps events.
        _mqtt = new ResilientMqttConnection(BuildMqttOptions(), new ReconnectOptions { MaxDelay = options.MaxReconnectDelay }, _log)
        {
            // A session kept from an older agent lacks newer subscriptions (commit confirmations): subscribe on every connect.
            ResubscribeOnResumedSession = true,
        };
        _publisher = new OutboxPublisher(_outbox, _mqtt, _topics.Events(options.HeadsetId), options.PublishWindow, options.RepublishAfter, _log);
        _shown = Compose();
        _mqtt.Client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            return ReceiveAsync(e.ApplicationMessage.Topic, payload.IsSingleSegment ? payload.First : System.Buffers.BuffersExtensions.ToArray(payload), CancellationToken.None);
        };
        _mqtt.Connected += OnConnectedAsync;
        _mqtt.Disconnected += OnDisconnectedAsync;
        _mqtt.ConnectingFailed += OnConnectingFailedAsync;
    }

    public string HeadsetId => _options.HeadsetId;

    /// <summary>What the headset shows now.</summary>
    public ShownState Shown
    {
        get
        {
            lock (_sync) return _shown;
        }
    }

    /// <summary>Raised when what a person sees changes (ready / do not use, its reasons, the lock, the session), and on connect / disconnect.</summary>
    public event Action<ShownState>? ShownChanged;

    /// <summary>Raised when the broker refuses the credentials (for example after they were rotated); the agent keeps retrying.</summary>
    public event Action<MqttClientConnectResultCode>? ConnectionRefused;

    public OutboxCounts Outbox => _outbox.Counts;

    /// <summary>The outbox itself, for tests that read what was written.</summary>
    internal Storage.Outbox OutboxStore => _outbox;

    public bool IsOnline => _mqtt.IsConnected;

    /// <summary>Connects (in the background: it works offline too), subscribes to its state and commands, starts the probes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_stopping is not null || _stopped) throw new InvalidOperationException("An agent is started once.");
            _stopping = new CancellationTokenSource();
            _publishing = new CancellationTokenSource();
            _startedAt = _time.GetUtcNow();
        }
        if (_options.StatusHttpPort is { } port) _endpoint = new StatusEndpoint(port, () => Shown, _log);
        PublishShown(force: true);
        _mqtt.Start();
        _publisherLoop = Task.Run(() => _publisher.RunAsync(_publishing.Token), CancellationToken.None);
        var stopping = _stopping.Token;
        _loops.Add(Task.Run(() => SubscribeAsync(stopping), CancellationToken.None));
        _loops.Add(Task.Run(() => TelemetryLoopAsync(stopping), CancellationToken.None));
        if (_probes.Worn is { } worn) _loops.Add(Task.Run(() => WatchWornAsync(worn, stopping), CancellationToken.None));
        if (_probes.Sessions is { } sessions) _loops.Add(Task.Run(() => WatchSessionsAsync(sessions, stopping), CancellationToken.None));
        if (_options.StatusRefreshInterval is { } refresh) _loops.Add(Task.Run(() => RefreshLoopAsync(refresh, stopping), CancellationToken.None));
        _log.LogInformation("{Headset}: agent started (broker {Host}:{Port}, outbox {Outbox} holding {Depth} events, next seq {Seq})",
            HeadsetId, _options.BrokerHost, _options.BrokerPort?.ToString() ?? "default", _outbox.Path, _outbox.Counts.Depth, _outbox.Counts.LastSeq + 1);
    }

    /// <summary>
    /// Clean stop: probes stop, the outbox gets <see cref="AgentOptions.StopFlushTimeout"/> to empty, the retained status says
    /// offline, and the connection ends with DISCONNECT (so the broker drops the Will). What is left stays in the outbox.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stopping;
        lock (_sync)
        {
            stopping = _stopping;
            if (stopping is null || _stopped) return;
            _stopped = true;
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        if (_mqtt.IsConnected)
        {
            await FlushAsync(_options.StopFlushTimeout, cancellationToken).ConfigureAwait(false);
            await PublishStatusAsync(online: false, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        await _publishing!.CancelAsync().ConfigureAwait(false);
        await _publisherLoop.ConfigureAwait(false);
        await _mqtt.StopAsync(cancellationToken).ConfigureAwait(false);
        lock (_sync) _online = false;
        PublishShown(force: true);
        if (_endpoint is not null) await _endpoint.DisposeAsync().ConfigureAwait(false);
        _log.LogInformation("{Headset}: agent stopped ({Depth} events left in the outbox)", HeadsetId, _outbox.Counts.Depth);
    }

    /// <summary>Waits until the API has confirmed everything in the outbox; false if that took longer than <paramref name="timeout"/>.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _publisher.Wake();
        // Real elapsed time, not the injected clock: this bounds a wait, it does not date anything.
        var started = Stopwatch.GetTimestamp();
        while (_outbox.Counts.Depth > 0)
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Stores an event of the contract (<see cref="EventTypes"/>) in the outbox and wakes the publisher; returns its seq.</summary>
    public long Record(string type, object data)
    {
        if (!EventTypes.All.Contains(type)) throw new ArgumentException($"'{type}' is not an event type of the contract.", nameof(type));
        var entry = _outbox.Append(type, data, _time.GetUtcNow());
        _publisher.Wake();
        return entry.Seq;
    }

    /// <summary>A patient's comfort report after a session (FMS 0-20 and/or a note), tagged with Fleet's current session.</summary>
    public long RecordComfortReport(int? fms, string? note, Guid? sessionId = null)
    {
        if (fms is < 0 or > 20) throw new ArgumentOutOfRangeException(nameof(fms), "The Fast Motion Sickness Scale runs from 0 to 20.");
        if (fms is null && string.IsNullOrWhiteSpace(note)) throw new ArgumentException("A comfort report needs a score, a note or both.");
        lock (_sync) sessionId ??= _lastSessionId ?? _shown.SessionId;
        return Record(EventTypes.ComfortReport, new ComfortReportData(sessionId, fms, note));
    }

    /// <summary>A UV-C cabinet cycle the headset went through (contract method <c>uvc</c>).</summary>
    public long RecordCabinetCycle(string? cabinetId, int cycleSeconds, bool completed) =>
        Record(EventTypes.CleaningCompleted, new CleaningCompletedData("uvc", cabinetId, cycleSeconds, completed));

    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            if (_disposed) return;
        }
        await StopAsync().ConfigureAwait(false);
        lock (_sync) _disposed = true;
        await _mqtt.DisposeAsync().ConfigureAwait(false);
        _outbox.Dispose();
        _stopping?.Dispose();
        _publishing?.Dispose();
    }

    private MqttClientOptions BuildMqttOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.BrokerHost, _options.BrokerPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_options.EffectiveClientId)
            .WithCredentials(_options.EffectiveUsername, _options.Password)
            // A persistent session, so commands sent while the headset is away wait for it (until they expire).
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithWillTopic(_topics.Status(HeadsetId))
            .WithWillPayload(EventJson.Status(false, null))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain()
            .WithTimeout(TimeSpan.FromSeconds(15));
        if (_options.UseTls) builder = builder.WithFleetTls(_options.CaFile);
        return builder.Build();
    }

    private async Task SubscribeAsync(CancellationToken stopping)
    {
        try
        {
            // Remembered by the connection: subscribed again whenever the broker has lost the session. The retained state comes at once.
            await _mqtt.SubscribeAsync([
                new MqttTopicFilterBuilder().WithTopic(_topics.State(HeadsetId)).WithAtLeastOnceQoS().Build(),
                new MqttTopicFilterBuilder().WithTopic(_topics.Commands(HeadsetId)).WithAtLeastOnceQoS().Build(),
                new MqttTopicFilterBuilder().WithTopic(_topics.Confirmed(HeadsetId)).WithAtLeastOnceQoS().Build(),
            ], stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            if (!stopping.IsCancellationRequested) _log.LogError(e, "{Headset}: subscribing to its state, commands and confirmations failed", HeadsetId);
        }
    }

    private ValueTask OnConnectedAsync(MqttClientConnectResult result)
    {
        lock (_sync) _online = true;
        // Not awaited: this handler runs inside the connection loop, and the publish waits for it to finish.
        _ = PublishStatusAsync(online: true, TimeSpan.FromSeconds(30));
        _publisher.Wake();
        PublishShown(force: false);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        bool was;
        lock (_sync)
        {
            was = _online;
            _online = false;
        }
        if (was && !_stopped) _log.LogWarning("{Headset}: lost the broker ({Reason}); events wait in the outbox", HeadsetId, e.Reason);
        PublishShown(force: false);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnConnectingFailedAsync(ConnectAttemptFailed e)
    {
        if (e.Exception is BrokerRefusedException refused)
        {
            if (e.AttemptNumber % 10 == 0)
                _log.LogError("{Headset}: the broker refused the connection ({Code}); are the credentials current? Re-enroll the headset if they were rotated",
                    HeadsetId, refused.Result.ResultCode);
            ConnectionRefused?.Invoke(refused.Result.ResultCode);
        }
        else if (e.AttemptNumber == 0)
        {
            _log.LogWarning("{Headset}: cannot reach the broker at {Host} ({Error}); retrying, events wait in the outbox",
                HeadsetId, _options.BrokerHost, e.Exception.Message);
        }
        return ValueTask.CompletedTask;
    }

    private async Task PublishStatusAsync(bool online, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await _mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(_topics.Status(HeadsetId))
                .WithPayload(EventJson.Status(online, EventJson.ToMilliseconds(_time.GetUtcNow())))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build(), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException
            or ObjectDisposedException or PublishRefusedException)
        {
            _log.LogDebug(e, "{Headset}: publishing its status (online {Online}) did not complete", HeadsetId, online);
        }
    }

    private ShownState Compose() => ShownState.Compose(HeadsetId, _state, _locked, _online, _outbox.Counts, _time.GetUtcNow());

    /// <summary>Recomputes what is shown; logs, writes the file and raises the event when a person would see a difference.</summary>
    private void PublishShown(bool force)
    {
        ShownState shown, previous;
        lock (_sync)
        {
            previous = _shown;
            shown = _shown = Compose();
        }
        var visible = shown.LooksDifferentFrom(previous);
        if (visible) _log.LogInformation("{Headset}: {Message}", HeadsetId, shown.Message);
        if (!visible && !force && previous.Online == shown.Online) return;
        WriteStatusFile(shown);
        ShownChanged?.Invoke(shown);
    }

    private void WriteStatusFile(ShownState shown)
    {
        if (_options.StatusFilePath is not { } path) return;
        try
        {
            lock (_statusFile) StatusFile.Write(path, shown);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning(e, "{Headset}: writing the status file {Path} failed", HeadsetId, path);
        }
    }

    private async Task RefreshLoopAsync(TimeSpan interval, CancellationToken stopping)
    {
        var lastDepthLog = _time.GetUtcNow();
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
                ShownState shown;
                lock (_sync) shown = _shown = Compose();
                WriteStatusFile(shown);
                if (_options.DepthLogInterval is { } every && _time.GetUtcNow() - lastDepthLog >= every)
                {
                    lastDepthLog = _time.GetUtcNow();
                    _log.LogInformation("{Headset}: outbox depth {Depth} ({Produced} produced, {Acked} acknowledged, {Thinned} thinned), {Online}",
                        HeadsetId, shown.OutboxDepth, shown.EventsProduced, shown.EventsAcknowledged, shown.TelemetryThinned, shown.Online ? "online" : "offline");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static StateMessage? LoadState(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<StateMessage>(json, FleetJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
