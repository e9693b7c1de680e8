using System.Diagnostics.Metrics;
using Fleet.Api.Infrastructure.Observability;

namespace Fleet.Api.SystemStatus;

/// <summary>One minute of this instance's ingestion: events stored, and their lag counted into <see cref="LagHistogram"/> buckets.</summary>
public sealed record MinuteRecord(DateTimeOffset Minute, long Stored, long[] Lag);

public sealed record JobRecord(string Job, bool Succeeded, DateTimeOffset At);

/// <summary>
/// Keeps the last hour of this instance's ingestion per minute, and each job's last run, by listening to Fleet's own
/// meter (<see cref="FleetMetrics"/>): the numbers on the System page are the ones /metrics exports, counted once.
/// Prometheus would keep this history too, but a hospital may run none, so the instance keeps its hour itself and
/// writes it into its heartbeat row, where every instance's page can merge it and a restart can pick it up again.
/// </summary>
public sealed class SystemRecorder : IDisposable
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(60);
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<DateTimeOffset, (long Stored, long[] Lag)> _minutes = [];
    private readonly Dictionary<string, JobRecord> _jobs = [];

    public SystemRecorder(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        // Only this host's meter: tests run several APIs in one process, each with its own meter factory.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FleetMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Name is "fleet.ingest.stored" or "fleet.ingest.lag" or "fleet.jobs.runs")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "fleet.ingest.stored") Add(value, null);
            else JobRun(tags);
        });
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => Add(0, value));
        _listener.Start();
    }

    private void Add(long stored, double? lagSeconds)
    {
        var minute = Minute(_time.GetUtcNow());
        lock (_gate)
        {
            if (!_minutes.TryGetValue(minute, out var m)) m = (0, new long[LagHistogram.Buckets]);
            if (lagSeconds is { } lag) m.Lag[LagHistogram.Bucket(lag)]++;
            _minutes[minute] = (m.Stored + stored, m.Lag);
            Prune(minute);
        }
    }

    private void JobRun(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? job = null;
        var succeeded = false;
        foreach (var (key, value) in tags)
        {
            if (key == "job") job = value as string;
            else if (key == "outcome") succeeded = value as string == "succeeded";
        }
        if (job is null) return;
        lock (_gate) _jobs[job] = new JobRecord(job, succeeded, _time.GetUtcNow());
    }

    /// <summary>What a restarted instance recorded before (from its own heartbeat row): kept unless newer data exists.</summary>
    public void Restore(IEnumerable<MinuteRecord> minutes, IEnumerable<JobRecord> jobs)
    {
        lock (_gate)
        {
            foreach (var m in minutes) _minutes.TryAdd(m.Minute, (m.Stored, m.Lag.Length == LagHistogram.Buckets ? m.Lag : new long[LagHistogram.Buckets]));
            foreach (var j in jobs) _jobs.TryAdd(j.Job, j);
            Prune(Minute(_time.GetUtcNow()));
        }
    }

    public (IReadOnlyList<MinuteRecord> Minutes, IReadOnlyList<JobRecord> Jobs) Snapshot()
    {
        lock (_gate)
        {
            Prune(Minute(_time.GetUtcNow()));
            return (_minutes.Select(m => new MinuteRecord(m.Key, m.Value.Stored, [.. m.Value.Lag])).ToList(), [.. _jobs.Values]);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_minutes.Count > 0 && _minutes.First().Key <= now - Kept) _minutes.Remove(_minutes.First().Key);
    }

    public static DateTimeOffset Minute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Lag in fixed buckets, so that minutes from several instances add up exactly and percentiles are read from the sum
/// (percentiles themselves cannot be averaged). The bounds follow <c>fleet.ingest.lag</c>'s, with a few more below 10 ms.
/// </summary>
public static class LagHistogram
{
    private static readonly double[] Bounds = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

    public static int Buckets => Bounds.Length + 1;

    public static int Bucket(double seconds)
    {
        var i = Array.BinarySearch(Bounds, seconds);
        return i >= 0 ? i : ~i;
    }

    /// <summary>
    /// The upper bound of the bucket holding the q-quantile ("p99 at most 250 ms"): a histogram knows no finer, and an
    /// upper bound never flatters. Null without samples; past the last bound it is that bound.
    /// </summary>
    public static double? Quantile(long[] counts, double q)
    {
        var total = counts.Sum();
        if (total == 0) return null;
        var rank = Math.Max(1, Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < Bounds.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return Bounds[i];
        }
        return Bounds[^1];
    }
}
