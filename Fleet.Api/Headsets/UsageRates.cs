using Fleet.Api.Infrastructure.Data;
using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Headsets;

/// <summary>How fast each lifetime dimension is being used up, from the last 30 days.</summary>
public sealed record UsageRates(double CleaningsPerDay, double WipesPerDay, double BatteryCyclesPerDay)
{
    public static UsageRates None { get; } = new(0, 0, 0);

    public double PerDay(LifetimeDimension d) => d switch
    {
        LifetimeDimension.ServiceYears => 1 / LifetimeCalculator.DaysPerYear,
        LifetimeDimension.BatteryCycles => BatteryCyclesPerDay,
        LifetimeDimension.FacialInterfaceCleanings => WipesPerDay,
        LifetimeDimension.HousingCleanings => CleaningsPerDay,
        _ => 0,
    };
}

public sealed class UsageRateReader(FleetDb db, IEnumerable<IBatteryCycleHistory> batteryHistory)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public async Task<Dictionary<string, UsageRates>> ReadAsync(IReadOnlyCollection<string> headsetIds, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Window;
        var rows = await db.Cleanings.AsNoTracking()
            .Where(c => headsetIds.Contains(c.HeadsetId) && c.CompletedAt >= since
                && (c.Status == CleaningStatus.Valid || c.Status == CleaningStatus.Invalid))
            .GroupBy(c => c.HeadsetId)
            .Select(g => new { g.Key, All = g.Count(), Wipes = g.Count(c => c.Method != ProductClass.UvcCabinet) })
            .ToListAsync(ct);
        var cycles = await BatteryCycleDeltasAsync(headsetIds, since, ct);
        var days = Window.TotalDays;
        return headsetIds.ToDictionary(id => id, id =>
        {
            var r = rows.FirstOrDefault(x => x.Key == id);
            return new UsageRates((r?.All ?? 0) / days, (r?.Wipes ?? 0) / days, cycles.GetValueOrDefault(id) / days);
        });
    }

    /// <summary>Battery cycles gained in the window, from the telemetry series when it exists.</summary>
    private async Task<Dictionary<string, double>> BatteryCycleDeltasAsync(IReadOnlyCollection<string> ids, DateTimeOffset since, CancellationToken ct)
    {
        foreach (var source in batteryHistory)
        {
            return await source.CycleDeltasAsync(ids, since, ct);
        }
        return [];
    }
}

/// <summary>Where battery cycle history comes from (the telemetry feature provides it).</summary>
public interface IBatteryCycleHistory
{
    Task<Dictionary<string, double>> CycleDeltasAsync(IReadOnlyCollection<string> headsetIds, DateTimeOffset since, CancellationToken ct);
}
