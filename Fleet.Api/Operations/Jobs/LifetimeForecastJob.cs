using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Domain.Lifetime;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Nightly (02:00 UTC): for every headset in service and every lifetime dimension, the date it reaches 100 % at the
/// last 30 days' rate. It runs at most once per night and, when the night was missed (the API was down), once on the
/// first firing after it; the run time is stored with the forecasts in the same transaction.
/// </summary>
public sealed class LifetimeForecastJob(Writes writes, FleetDb db, HeadsetReadModel headsets, UsageRateReader rates, TimeProvider time) : IFleetJob
{
    public const string Name = "lifetime-forecast";
    public static readonly TimeOnly NightlyAt = new(2, 0);

    public async Task RunAsync(CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var now = time.GetUtcNow();
        var run = await db.Set<JobRun>().FindAsync([Name], ct);
        if (run is not null && run.LastRunAt >= Calendar.LatestAt(NightlyAt, now)) return;

        var inService = (await headsets.ListAsync(null, track: false, ct)).Where(c => !c.Headset.Retired).ToList();
        var usage = await rates.ReadAsync(inService.Select(c => c.Headset.Id).ToList(), now, ct);
        var stale = (await db.Set<LifetimeForecast>().ToListAsync(ct)).ToDictionary(f => (f.HeadsetId, f.Dimension));
        foreach (var c in inService)
        {
            foreach (var part in LifetimeCalculator.Parts(c.LifetimeInput(now)))
            {
                if (!stale.Remove((c.Headset.Id, part.Dimension), out var row))
                {
                    row = new LifetimeForecast { HeadsetId = c.Headset.Id, Dimension = part.Dimension };
                    db.Add(row);
                }
                row.Used = part.Used;
                row.Rated = part.Rated;
                row.UsedPerDay = usage[c.Headset.Id].PerDay(part.Dimension);
                row.ReachesFullAt = LifetimeCalculator.Forecast(part, row.UsedPerDay, now);
                row.ComputedAt = now;
            }
        }
        db.RemoveRange(stale.Values); // retired since the last run
        if (run is null) db.Add(new JobRun { Name = Name, LastRunAt = now });
        else run.LastRunAt = now;
        await write.CommitAsync(ct);
    }
}
