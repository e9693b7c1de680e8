using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Telemetry;

public static class TelemetryApi
{
    public const int DefaultPoints = 1_000;
    public const int MaxPoints = 5_000;

    public static IEndpointRouteBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("", "Telemetry").MapGet("/headsets/{id}/telemetry", Series).Refuses(400, 404);
        return app;
    }

    /// <summary>
    /// The series in time order: hourly aggregates where raw readings were already folded, raw readings after that.
    /// One page of at most <c>limit</c> points (default 1,000, at most 5,000); when there are more, a
    /// <c>Link: &lt;...&gt;; rel="next"</c> header gives the address of the next page, which starts at the first point left out.
    /// <c>bucket</c> (1m, 5m, 15m, 1h, 6h, 1d, or raw) downsamples; a period longer than two days is downsampled
    /// to fit one page unless raw readings are asked for.
    /// </summary>
    private static async Task<Results<Ok<List<TelemetryPoint>>, ProblemHttpResult>> Series(
        string id, [AsParameters] SeriesQuery query, HttpContext http, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var (from, to, kind, limit, bucket) = query;
        var v = new Validator();
        var pageSize = v.Range("limit", limit, 1, MaxPoints, DefaultPoints);
        if (v.Failed) return v.Problem();
        kind ??= TelemetrySample.Battery;
        if (kind is not (TelemetrySample.Battery or TelemetrySample.Device))
            return Problems.Validation("kind", "must be battery or device.");
        var end = to?.Value ?? time.GetUtcNow();
        var start = from?.Value ?? end.AddHours(-24);
        if (start > end) return Problems.Validation("from", "must not be after to.");
        if (!TelemetryBuckets.TryChoose(bucket, end - start, pageSize, out var chosen))
            return Problems.Validation("bucket", $"must be raw or one of {TelemetryBuckets.Names}.");
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);

        var hourly = db.Set<TelemetryHourly>().AsNoTracking()
            .Where(t => t.HeadsetId == id && t.Kind == kind && t.HourStart >= start && t.HourStart <= end).OrderBy(t => t.HourStart);
        var raw = db.Set<TelemetrySample>().AsNoTracking()
            .Where(t => t.HeadsetId == id && t.Kind == kind && t.At >= start && t.At <= end).OrderBy(t => t.At);
        var points = chosen is { } b
            ? await Bucketed(hourly, raw, kind, b.Size, pageSize, ct)
            : await Raw(hourly, raw, pageSize, ct);

        if (points.Count > pageSize)
        {
            http.Response.Headers.Link = $"</api/v1/headsets/{Uri.EscapeDataString(id)}/telemetry?kind={kind}" +
                $"&from={Uri.EscapeDataString(TelemetryBuckets.Format(points[pageSize].At))}&to={Uri.EscapeDataString(TelemetryBuckets.Format(end))}" +
                $"&limit={pageSize}&bucket={chosen?.Name ?? "raw"}>; rel=\"next\"";
            points.RemoveAt(pageSize);
        }
        return TypedResults.Ok(points);
    }

    /// <summary>Up to pageSize + 1 readings, the extra one telling where the next page starts.</summary>
    private static async Task<List<TelemetryPoint>> Raw(
        IQueryable<TelemetryHourly> hourly, IQueryable<TelemetrySample> raw, int pageSize, CancellationToken ct)
    {
        var folded = await hourly.Take(pageSize + 1).ToListAsync(ct);
        var readings = await raw.Take(pageSize + 1).ToListAsync(ct);
        return folded.Select(h => new TelemetryPoint
        {
            At = h.HourStart, Kind = h.Kind, Aggregated = true, Samples = h.Samples, BatteryPercent = h.BatteryPercentAvg,
            BatteryPercentMin = h.BatteryPercentMin, TemperatureC = h.TemperatureAvgC, TemperatureMaxC = h.TemperatureMaxC,
            HealthPercent = h.HealthPercentMin, CycleCount = h.CycleCountMax, StorageFreeMb = h.StorageFreeMinMb,
            WifiRssi = h.WifiRssiAvg is { } w ? (int)Math.Round(w) : null,
        }).Concat(readings.Select(r => new TelemetryPoint
        {
            At = r.At, Kind = r.Kind, Aggregated = false, BatteryPercent = r.BatteryPercent, Charging = r.Charging,
            TemperatureC = r.TemperatureC, HealthPercent = r.HealthPercent, CycleCount = r.CycleCount,
            StorageFreeMb = r.StorageFreeMb, WifiRssi = r.WifiRssi,
        })).OrderBy(p => p.At).Take(pageSize + 1).ToList();
    }

    /// <summary>
    /// Up to pageSize + 1 buckets. Both series are streamed in time order and each stops once it has passed
    /// pageSize + 1 buckets of its own, so memory stays one page whatever the period.
    /// </summary>
    private static async Task<List<TelemetryPoint>> Bucketed(
        IQueryable<TelemetryHourly> hourly, IQueryable<TelemetrySample> raw, string kind, TimeSpan size, int pageSize, CancellationToken ct)
    {
        var buckets = new SortedDictionary<DateTimeOffset, TelemetryBucket>();
        TelemetryBucket At(DateTimeOffset at)
        {
            var key = TelemetryBuckets.StartOf(at, size);
            if (!buckets.TryGetValue(key, out var bucket)) buckets[key] = bucket = new TelemetryBucket(key, kind);
            return bucket;
        }

        DateTimeOffset? stop = null;
        var seen = new HashSet<DateTimeOffset>();
        await foreach (var h in hourly.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (seen.Add(TelemetryBuckets.StartOf(h.HourStart, size)) && seen.Count > pageSize + 1) break;
            At(h.HourStart).Add(h);
        }
        if (seen.Count > pageSize) stop = seen.Max();
        seen.Clear();
        await foreach (var r in raw.AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = TelemetryBuckets.StartOf(r.At, size);
            if (key > stop || (seen.Add(key) && seen.Count > pageSize + 1)) break;
            At(r.At).Add(r);
        }
        return buckets.Values.Take(pageSize + 1).Select(b => b.ToPoint()).ToList();
    }
}

/// <summary>A telemetry series' query string: the period (default the last 24 hours), which readings, page size, bucket.</summary>
public readonly record struct SeriesQuery(UtcTime? From, UtcTime? To, string? Kind, int? Limit, string? Bucket);
