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
/// A run walks every series (a headset and a kind) in key order, each at most once, and a batch takes as many series as
/// fit in it: every headset gains an expired reading a minute, so a run that stopped at the first short batch folded the
/// first headset over and over and never reached the rest (found by infra/bench/retention.sh). A batch ends early when a
/// person's write is queued, and the next goes on from there.
/// </summary>
public sealed class TelemetryRetentionJob(Writes writes, FleetDb db, TimeProvider time, ILogger<TelemetryRetentionJob> log) : IFleetJob
{
    public static readonly TimeSpan RawRetention = TimeSpan.FromDays(14);
    public const int BatchSize = 2000;
    public const int MaxBatchesPerRun = 50;
    private static readonly string[] Kinds = [TelemetrySample.Battery, TelemetrySample.Device];

    public async Task RunAsync(CancellationToken ct)
    {
        var folded = 0;
        Series? after = null;
        for (var i = 0; i < MaxBatchesPerRun; i++)
        {
            var batch = await FoldBatchAsync(BatchSize, after, ct);
            folded += batch.Folded;
            if (batch.ResumeAfter is not { } next) break; // every series walked
            after = next;
        }
        if (folded > 0) log.LogInformation("Folded {Count} raw telemetry readings older than {Days} days into hourly aggregates.", folded, RawRetention.TotalDays);
    }

    /// <summary>A headset's readings of one kind, the unit folded in time order.</summary>
    public readonly record struct Series(string HeadsetId, string Kind);

    /// <summary>
    /// What one batch did: readings folded, and the series after which the next batch goes on (null when it walked to the
    /// last series).
    /// </summary>
    public readonly record struct FoldedBatch(int Folded, Series? ResumeAfter);

    /// <summary>
    /// Folds up to <paramref name="batchSize"/> expired readings, series after series in key order from the one after
    /// <paramref name="after"/>, in one transaction. A series left unfinished is where the next batch starts.
    /// </summary>
    public async Task<FoldedBatch> FoldBatchAsync(int batchSize, Series? after, CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var cutoff = time.GetUtcNow() - RawRetention;
        // Ordered here, not by the database, whose collation may differ from the ordinal order the cursor compares in.
        var ids = (await db.Headsets.AsNoTracking().Select(h => h.Id).ToListAsync(ct)).Order(StringComparer.Ordinal);
        var folded = 0;
        Series? resume = null;
        var walked = true;
        foreach (var series in ids.SelectMany(id => Kinds.Select(kind => new Series(id, kind))).Where(s => after is not { } a || Compare(s, a) > 0))
        {
            // Like ingestion, a batch lets a person's write go first once it has done something (a batch over thousands
            // of headsets, each with a minute's expired readings, would otherwise hold the lock for a noticeable time).
            if (folded == batchSize || (resume is not null && write.PersonWaiting))
            {
                walked = false;
                break;
            }
            var (n, finished) = await FoldSeriesAsync(series, batchSize - folded, cutoff, ct);
            folded += n;
            if (!finished)
            {
                walked = false;
                break;
            }
            resume = series;
        }
        await write.CommitAsync(ct);
        return new FoldedBatch(folded, walked ? null : resume ?? after ?? new Series("", ""));
    }

    /// <summary>Folds up to <paramref name="budget"/> of one series' expired readings into their hours; says whether none is left.</summary>
    private async Task<(int Folded, bool Finished)> FoldSeriesAsync(Series s, int budget, DateTimeOffset cutoff, CancellationToken ct)
    {
        var samples = db.Set<TelemetrySample>();
        // The series key makes every step a range of the table's key, never a scan.
        var rows = await samples.AsNoTracking().Where(t => t.HeadsetId == s.HeadsetId && t.Kind == s.Kind && t.At < cutoff)
            .OrderBy(t => t.At).Take(budget + 1).ToListAsync(ct);
        if (rows.Count == 0) return (0, true);
        // A partial fold stops before its last reading's moment, so readings sharing a moment are folded together, once.
        var upTo = rows.Count > budget ? rows[budget].At : cutoff;
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
        return (folding.Count, rows.Count <= budget);
    }

    private static int Compare(Series a, Series b)
    {
        var byHeadset = string.CompareOrdinal(a.HeadsetId, b.HeadsetId);
        return byHeadset != 0 ? byHeadset : Array.IndexOf(Kinds, a.Kind).CompareTo(Array.IndexOf(Kinds, b.Kind));
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
