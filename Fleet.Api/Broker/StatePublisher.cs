using System.Collections.Concurrent;
using System.Text.Json;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Contracts;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Broker;

/// <summary>
/// Keeps every headset's retained <c>state</c> message true. It re-reads the headsets named by change notices
/// (gathered for a moment, so a burst of telemetry costs one query), re-checks the whole fleet every minute for changes
/// that come from the clock alone (hang time, overdue, offline), and publishes only when what the headset should show
/// differs from what was last published. After a reconnect everything is published again.
/// </summary>
public sealed class StatePublisher(BrokerConnection broker, HeadsetChanges changes, IServiceScopeFactory scopes,
    IOptions<BrokerOptions> options, TimeProvider time, ILogger<StatePublisher> log) : BackgroundService
{
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan FullPass = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, byte> _pending = new();
    private readonly Dictionary<string, string> _published = [];
    private volatile bool _force = true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!broker.Enabled) return;
        // After a (re)connect the broker may have lost retained messages: publish everything once.
        broker.Connected += () => { _force = true; return Task.CompletedTask; };
        _ = CollectAsync(stoppingToken);
        var lastFull = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Gather, stoppingToken); // a pacing interval, not business time
            if (!broker.IsConnected) continue;
            var force = _force;
            var all = force || time.GetUtcNow() - lastFull >= FullPass;
            if (!all && _pending.IsEmpty) continue;
            _force = false;
            var ids = _pending.Keys.ToList();
            foreach (var id in ids) _pending.TryRemove(id, out _);
            try
            {
                if (all) lastFull = time.GetUtcNow();
                await PublishAsync(all ? null : ids, force, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Publishing headset states failed; will retry");
                _force = true;
            }
        }
    }

    private async Task CollectAsync(CancellationToken ct)
    {
        await foreach (var ids in changes.Subscribe(ct))
            foreach (var id in ids) _pending[id] = 0;
    }

    private async Task PublishAsync(List<string>? ids, bool force, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var read = scope.ServiceProvider.GetRequiredService<HeadsetReadModel>();
        var headsets = ids is null ? await read.ListAsync(null, track: false, ct) : await read.LoadAsync(h => ids.Contains(h.Id), track: false, ct);
        var now = time.GetUtcNow();
        var topics = options.Value.Topics;
        foreach (var c in headsets)
        {
            var message = HeadsetStateMessages.Build(c, now);
            var fingerprint = HeadsetStateMessages.Fingerprint(message);
            if (!force && _published.TryGetValue(c.Headset.Id, out var last) && last == fingerprint) continue;
            await broker.PublishAsync(topics.State(c.Headset.Id), JsonSerializer.SerializeToUtf8Bytes(message, FleetJson.Options), retain: true, ct);
            _published[c.Headset.Id] = fingerprint;
        }
    }
}
