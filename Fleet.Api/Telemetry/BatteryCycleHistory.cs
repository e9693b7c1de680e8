using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Telemetry;

/// <summary>Battery cycles gained since a moment, from the oldest and newest cycle counts in the series.</summary>
public sealed class BatteryCycleHistory(FleetDb db) : IBatteryCycleHistory
{
    public async Task<Dictionary<string, double>> CycleDeltasAsync(IReadOnlyCollection<string> headsetIds, DateTimeOffset since, CancellationToken ct)
    {
        var raw = await db.Set<TelemetrySample>().AsNoTracking()
            .Where(t => headsetIds.Contains(t.HeadsetId) && t.Kind == TelemetrySample.Battery && t.At >= since && t.CycleCount != null)
            .GroupBy(t => t.HeadsetId)
            .Select(g => new { g.Key, Min = g.Min(t => t.CycleCount), Max = g.Max(t => t.CycleCount) })
            .ToListAsync(ct);
        var hourly = await db.Set<TelemetryHourly>().AsNoTracking()
            .Where(t => headsetIds.Contains(t.HeadsetId) && t.Kind == TelemetrySample.Battery && t.HourStart >= since && t.CycleCountMax != null)
            .GroupBy(t => t.HeadsetId)
            .Select(g => new { g.Key, Min = g.Min(t => t.CycleCountMax), Max = g.Max(t => t.CycleCountMax) })
            .ToListAsync(ct);
        return raw.Concat(hourly).GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => (double)((g.Max(x => x.Max) ?? 0) - (g.Min(x => x.Min) ?? 0)));
    }
}
