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
        app.MapGet("/api/v1/headsets/{id}/telemetry", Series).WithTags("Telemetry").RequireAuthorization(Policies.Read);
        return app;
    }

    /// <summary>
    /// The series in time order: hourly aggregates where raw readings were already folded, raw readings after that.
    /// One page of at most <c>limit</c> points (default 1,000, at most 5,000); when there are more, a
    /// <c>Link: &lt;...&gt;; rel="next"</c> header gives the address of the next page, which starts at the first point left out.
    /// </summary>
    private static async Task<Results<Ok<List<TelemetryPoint>>, ProblemHttpResult>> Series(
        string id, UtcTime? from, UtcTime? to, string? kind, int? limit, HttpContext http, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var v = new Validator();
        var pageSize = v.Range("limit", limit, 1, MaxPoints, DefaultPoints);
        if (v.Failed) return v.Problem();
        kind ??= TelemetrySample.Battery;
        if (kind is not (TelemetrySample.Battery or TelemetrySample.Device))
            return Problems.Validation("kind", "must be battery or device.");
        var end = to?.Value ?? time.GetUtcNow();
        var start = from?.Value ?? end.AddHours(-24);
        if (start > end) return Problems.Validation("from", "must not be after to.");
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);

        var hourly = await db.Set<TelemetryHourly>().AsNoTracking()
            .Where(t => t.HeadsetId == id && t.Kind == kind && t.HourStart >= start && t.HourStart <= end)
            .OrderBy(t => t.HourStart).Take(pageSize + 1).ToListAsync(ct);
        var raw = await db.Set<TelemetrySample>().AsNoTracking()
            .Where(t => t.HeadsetId == id && t.Kind == kind && t.At >= start && t.At <= end)
            .OrderBy(t => t.At).Take(pageSize + 1).ToListAsync(ct);

        var points = hourly.Select(h => new TelemetryPoint
        {
            At = h.HourStart, Kind = h.Kind, Aggregated = true, Samples = h.Samples, BatteryPercent = h.BatteryPercentAvg,
            BatteryPercentMin = h.BatteryPercentMin, TemperatureC = h.TemperatureAvgC, TemperatureMaxC = h.TemperatureMaxC,
            HealthPercent = h.HealthPercentMin, CycleCount = h.CycleCountMax, StorageFreeMb = h.StorageFreeMinMb,
            WifiRssi = h.WifiRssiAvg is { } w ? (int)Math.Round(w) : null,
        }).Concat(raw.Select(r => new TelemetryPoint
        {
            At = r.At, Kind = r.Kind, Aggregated = false, BatteryPercent = r.BatteryPercent, Charging = r.Charging,
            TemperatureC = r.TemperatureC, HealthPercent = r.HealthPercent, CycleCount = r.CycleCount,
            StorageFreeMb = r.StorageFreeMb, WifiRssi = r.WifiRssi,
        })).OrderBy(p => p.At).Take(pageSize + 1).ToList();
        if (points.Count > pageSize)
        {
            var next = points[pageSize].At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers.Link = $"</api/v1/headsets/{Uri.EscapeDataString(id)}/telemetry?kind={kind}&from={Uri.EscapeDataString(next)}" +
                $"&to={Uri.EscapeDataString(end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture))}&limit={pageSize}>; rel=\"next\"";
            points.RemoveAt(pageSize);
        }
        return TypedResults.Ok(points);
    }
}
