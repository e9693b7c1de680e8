using System.Collections.Concurrent;
using System.Text.Json;
using Fleet.Api.Broker;
using Fleet.Contracts;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Ingestion;

/// <summary>
/// End-to-end confirmation (mqtt-contract.md, delivery guarantees): after a commit, each headset whose events it held
/// is told, on its own <c>confirmed</c> topic, which of its seq numbers are committed; its agent deletes events only
/// then. A broker's PUBACK is not enough, because a broker that crashes, or drops a shared subscription on restart,
/// loses what it acknowledged. Confirmations are gathered per headset and sent at most once per interval, so they cost
/// little at 15,000 events/s. A lost confirmation heals itself: the agent publishes the event again, the duplicate is
/// recognised, and the headset is confirmed again.
/// </summary>
public sealed class CommitConfirmations(BrokerConnection broker, IOptions<BrokerOptions> options, TimeProvider time,
    ILogger<CommitConfirmations> log) : BackgroundService
{
    /// <summary>Newest committed ranges above the contiguous part that a confirmation lists, so gaps never hold back later events.</summary>
    public const int MaxRanges = 16;

    private readonly BrokerOptions _o = options.Value;
    private readonly ConcurrentDictionary<string, SeqRanges> _pending = new();
    private readonly Dictionary<string, GapWatch> _gaps = [];
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Called after a commit with the committed seq ranges of each headset in it (the caller hands them over).</summary>
    public void Committed(IReadOnlyDictionary<string, SeqRanges> ranges)
    {
        if (!broker.Enabled || ranges.Count == 0) return;
        foreach (var (id, r) in ranges) _pending[id] = r;
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!broker.Enabled) return;
        var interval = TimeSpan.FromMilliseconds(_o.ConfirmIntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(stoppingToken);
            await Task.Delay(interval, stoppingToken); // gathers a second's commits into one message per headset
            if (!broker.IsConnected) continue; // kept pending; the agents re-publish what stays unconfirmed anyway
            var batch = new List<(string Id, SeqRanges Ranges)>(_pending.Count);
            foreach (var id in _pending.Keys)
                if (_pending.TryRemove(id, out var r)) batch.Add((id, r));
            try
            {
                await SendAsync(batch, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Sending commit confirmations to {Count} headsets failed; the agents will publish those events again", batch.Count);
            }
        }
    }

    private async Task SendAsync(List<(string Id, SeqRanges Ranges)> batch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expiry = TimeSpan.FromSeconds(60); // a confirmation older than this is stale: a newer one or a re-publish replaces it
        foreach (var chunk in batch.Chunk(500))
        {
            var sends = new List<Task>(chunk.Length);
            foreach (var (id, ranges) in chunk)
            {
                var (upTo, above) = Confirm(id, ranges, now);
                var payload = JsonSerializer.SerializeToUtf8Bytes(new ConfirmedMessage(upTo, above.Count == 0 ? null : above, now), FleetJson.Options);
                sends.Add(broker.PublishAsync(_o.Topics.Confirmed(id), payload, retain: false, ct, expiry));
            }
            await Task.WhenAll(sends);
        }
    }

    /// <summary>The confirmation for one headset, moving past a gap that stayed open longer than the give-up time.</summary>
    private (long UpTo, List<long[]> Above) Confirm(string id, SeqRanges ranges, DateTimeOffset now)
    {
        var watch = _gaps.TryGetValue(id, out var w) ? w : new GapWatch(0, -1, now);
        var (upTo, above) = ranges.Confirmation(watch.Floor, MaxRanges);
        if (ranges.NextReceivedAbove(upTo) is not { } next)
        {
            _gaps[id] = watch with { StalledAt = -1 };
            return (upTo, above);
        }
        if (watch.StalledAt != upTo)
        {
            _gaps[id] = watch with { StalledAt = upTo, Since = now };
            return (upTo, above);
        }
        if (now - watch.Since < TimeSpan.FromSeconds(_o.GapGiveUpSeconds)) return (upTo, above);
        log.LogWarning("{Headset}: seq {From}-{To} never arrived in {Seconds} s while later events did; confirming past them (they stay reported as a gap)",
            id, upTo + 1, next - 1, _o.GapGiveUpSeconds);
        _gaps[id] = new GapWatch(next - 1, -1, now);
        return Confirm(id, ranges, now);
    }

    private readonly record struct GapWatch(long Floor, long StalledAt, DateTimeOffset Since);
}
