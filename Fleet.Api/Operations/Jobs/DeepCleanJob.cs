using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Catalog;
using Microsoft.EntityFrameworkCore;
using static Fleet.Api.Operations.Jobs.Calendar;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// One deep_clean task per ward per day, due at the ward's deep-clean time in its time zone and overdue after its cleaning-due
/// time. A nurse or biomed completes it with a note (POST /api/v1/tasks/{id}/complete). One still open when the next
/// day's is due is closed as cancelled (missed), so a ward has at most one deep clean to do.
/// </summary>
public sealed class DeepCleanJob(Writes writes, FleetDb db, Ledger ledger, TimeProvider time) : IFleetJob
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var now = time.GetUtcNow();
        var wards = await db.Wards.AsNoTracking().OrderBy(w => w.Id).ToListAsync(ct);
        var staffed = await db.Headsets.Where(h => h.RetiredAt == null).Select(h => h.WardId).Distinct().ToListAsync(ct);
        var tasks = db.Set<ScheduledTask>().Where(t => t.Kind == TaskKinds.DeepClean);
        var open = await tasks.Where(t => t.ClosedAt == null).ToListAsync(ct);
        var latestDay = await tasks.GroupBy(t => t.WardId).Select(g => new { Ward = g.Key, Day = g.Max(t => t.Day) }).ToDictionaryAsync(x => x.Ward, x => x.Day, ct);

        foreach (var ward in wards)
        {
            var zone = WardClock.ZoneOf(ward);
            var (day, slot) = WardClock.LatestAt(ward.Policy.DeepCleanAt, now, zone);
            foreach (var task in open.Where(t => t.WardId == ward.Id))
            {
                if (task.Day < day) ledger.CloseTask(task, TaskStatuses.Cancelled, Ledger.JobsActor, $"Missed: the deep clean of {day:yyyy-MM-dd} is now due.", now);
                else ledger.EscalateIfDue(task, now);
            }
            // "On or after this day" also keeps a deep-clean time moved later in the day from reopening yesterday.
            if (!staffed.Contains(ward.Id) || latestDay.GetValueOrDefault(ward.Id) >= day) continue;
            ledger.OpenTask(TaskKinds.DeepClean, ward.Id, null, day, slot, slot + ward.Policy.CleaningDue,
                $"Daily deep clean of every headset in {ward.Name} (all surfaces, strap, facial interface), due {When(slot, zone)}.", now);
        }
        await write.CommitAsync(ct);
    }
}
