using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Ingestion;
using Fleet.Api.Telemetry;
using Fleet.Contracts.Mqtt;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Raw telemetry is kept 14 days; older readings are folded into hourly aggregates and deleted, in bounded batches,
/// together with the telemetry events' keys in <c>ingested_events</c>.
/// Each batch aggregates and deletes the same rows in one transaction, so a crash between batches loses nothing and
/// counts nothing twice, and the write lock is released between batches so ingestion is not held up.
/// </summary>
public sealed class TelemetryRetentionJob(Writes writes, FleetDb db, TimeProvider time, ILogger<TelemetryRetentionJob> log) : IFleetJob
{
    public static readonly TimeSpan RawRetention = TimeSpan.FromDays(14);
    public const int BatchSize = 2000;
    public const int MaxBatchesPerRun = 50;

    public async Task RunAsync(CancellationToken ct)
    {
        var folded = 0;
        for (var i = 0; i < MaxBatchesPerRun; i++)
        {
            var n = await FoldBatchAsync(BatchSize, ct);
            folded += n;
            if (n < BatchSize) break;
        }
        if (folded > 0) log.LogInformation("Folded {Count} raw telemetry readings older than {Days} days into hourly aggregates.", folded, RawRetention.TotalDays);
    }

    /// <summary>
    /// Folds one batch of expired readings of one series (a headset and a kind) into their hours, in time order.
    /// Returns how many were folded. The series key makes every step a range of the table's key, never a scan.
    /// </summary>
    public async Task<int> FoldBatchAsync(int batchSize, CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var cutoff = time.GetUtcNow() - RawRetention;
        var samples = db.Set<TelemetrySample>();
        (string HeadsetId, string Kind)? series = null;
        foreach (var id in await db.Headsets.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(ct))
        {
            foreach (var kind in (string[])[TelemetrySample.Battery, TelemetrySample.Device])
            {
                if (await samples.AnyAsync(t => t.HeadsetId == id && t.Kind == kind && t.At < cutoff, ct)) { series = (id, kind); break; }
            }
            if (series is not null) break;
        }
        if (series is not { } s) return 0;

        var rows = await samples.AsNoTracking().Where(t => t.HeadsetId == s.HeadsetId && t.Kind == s.Kind && t.At < cutoff)
            .OrderBy(t => t.At).Take(batchSize + 1).ToListAsync(ct);
        // A full batch stops before its last reading's moment, so readings sharing a moment are folded together, once.
        var upTo = rows.Count > batchSize ? rows[batchSize].At : cutoff;
        var folding = rows.Where(r => r.At < upTo).ToList();
        if (folding.Count == 0) { folding = rows; upTo = rows[^1].At.AddTicks(1); }

        foreach (var hour in folding.GroupBy(r => HourOf(r.At)))
        {
            var aggregate = await db.Set<TelemetryHourly>().FindAsync([s.HeadsetId, s.Kind, hour.Key], ct);
            if (aggregate is null)
            {
                aggregate = new TelemetryHourly { HeadsetId = s.HeadsetId, Kind = s.Kind, HourStart = hour.Key };
                db.Add(aggregate);
            }
            HourlyFold.Add(aggregate, [.. hour]);
        }
        await samples.Where(t => t.HeadsetId == s.HeadsetId && t.Kind == s.Kind && t.At < upTo && t.At < cutoff).ExecuteDeleteAsync(ct);
        // The headset's telemetry keys in ingested_events (kept to drop a redelivered event) go with its readings: an
        // event that old is refused for its age (EventValidator.MaxAge, 72 h) before its key is looked at, so the key
        // can never matter again. Without this, telemetry keys grew the database by ~140 MB per headset per year. The
        // other events' rows stay: they are the device's own record of cleanings, sessions and reports.
        await db.Set<IngestedEvent>().Where(e => e.HeadsetId == s.HeadsetId && EventTypes.Telemetry.Contains(e.Type) && e.At < upTo && e.At < cutoff)
            .ExecuteDeleteAsync(ct);
        await write.CommitAsync(ct);
        return folding.Count;
    }

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}

/// <summary>Merges readings into an hour that may already hold earlier ones (late readings, or a second batch).</summary>
public static class HourlyFold
{
    public static void Add(TelemetryHourly h, IReadOnlyList<TelemetrySample> s)
    {
        var before = h.Samples;
        h.Samples += s.Count;
        h.BatteryPercentAvg = Mean(h.BatteryPercentAvg, before, s.Select(x => (double?)x.BatteryPercent));
        h.BatteryPercentMin = Extreme(h.BatteryPercentMin, s.Select(x => x.BatteryPercent), max: false);
        h.TemperatureAvgC = Mean(h.TemperatureAvgC, before, s.Select(x => x.TemperatureC));
        h.TemperatureMaxC = Extreme(h.TemperatureMaxC, s.Select(x => x.TemperatureC), max: true);
        h.HealthPercentMin = Extreme(h.HealthPercentMin, s.Select(x => x.HealthPercent), max: false);
        h.CycleCountMax = Extreme(h.CycleCountMax, s.Select(x => x.CycleCount), max: true);
        h.StorageFreeMinMb = Extreme(h.StorageFreeMinMb, s.Select(x => x.StorageFreeMb), max: false);
        h.WifiRssiAvg = Mean(h.WifiRssiAvg, before, s.Select(x => (double?)x.WifiRssi));
    }

    /// <summary>
    /// The running mean. The earlier average is weighted by the hour's earlier sample count: readings of one kind
    /// carry the same fields, so that count is the number of values the average was taken over.
    /// </summary>
    private static double? Mean(double? prior, int priorCount, IEnumerable<double?> values)
    {
        var v = values.OfType<double>().ToList();
        if (v.Count == 0) return prior;
        if (prior is not { } p || priorCount == 0) return v.Average();
        return (p * priorCount + v.Sum()) / (priorCount + v.Count);
    }

    private static T? Extreme<T>(T? prior, IEnumerable<T?> values, bool max) where T : struct, IComparable<T>
    {
        var result = prior;
        foreach (var v in values)
        {
            if (v is not { } x) continue;
            if (result is not { } r || (max ? x.CompareTo(r) > 0 : x.CompareTo(r) < 0)) result = x;
        }
        return result;
    }
}
