using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Brings the open tasks and alerts of some headsets in line with what their jobs want: opens the missing ones,
/// escalates the late ones, closes the resolved ones. Loading the headsets for the write also records any hang time
/// that has run out (see <see cref="HeadsetReadModel"/>).
/// Headsets are reconciled <see cref="ChunkSize"/> at a time, one write each, queued as background work like
/// ingestion: under telemetry every headset is "changed" twice a second, and one write over the whole fleet held the
/// lock for 25-50 ms ahead of the nurses queued behind it (measured with 224 headsets, infra/bench/gate.sh). Each
/// headset's tasks and alerts depend on that headset alone, so nothing needs the chunks in one transaction.
/// </summary>
public sealed class HeadsetReconciler(Writes writes, HeadsetReadModel headsets, FleetDb db, Ledger ledger, AuditTrail audit,
    HeadsetChanges changes, TimeProvider time)
{
    public const string RetiredReason = "The headset was retired.";
    public const int ChunkSize = 32;

    public async Task RunAsync(IReadOnlyCollection<HeadsetJob> jobs, IReadOnlyCollection<string>? headsetIds, CancellationToken ct)
    {
        var ids = headsetIds?.Distinct().Order(StringComparer.Ordinal).ToList()
            ?? await db.Headsets.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(ct);
        var escalated = new HashSet<string>();
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            await ReconcileAsync(jobs, chunk, escalated, ct);
            db.ChangeTracker.Clear(); // committed; the next chunk tracks its own headsets only
        }
        // The state publisher re-reads these and tells the headset it needs cleaning.
        changes.Publish([.. escalated]);
    }

    private async Task ReconcileAsync(IReadOnlyCollection<HeadsetJob> jobs, string[] ids, HashSet<string> escalated, CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var now = time.GetUtcNow();
        var contexts = await headsets.LoadAsync(h => ids.Contains(h.Id), track: true, ct);
        var scope = contexts.Select(c => c.Headset.Id).ToList();
        var taskKinds = jobs.SelectMany(j => j.OwnedTaskKinds).ToList();
        var alertKinds = jobs.SelectMany(j => j.OwnedAlertKinds).ToList();
        var tasks = (await db.Set<ScheduledTask>()
                .Where(t => t.ClosedAt == null && t.HeadsetId != null && scope.Contains(t.HeadsetId) && taskKinds.Contains(t.Kind))
                .ToListAsync(ct)).ToLookup(t => t.HeadsetId!);
        var alerts = (await db.Set<Alert>()
                .Where(a => a.ClosedAt == null && scope.Contains(a.HeadsetId) && alertKinds.Contains(a.Kind))
                .ToListAsync(ct)).ToLookup(a => a.HeadsetId);

        foreach (var c in contexts)
        {
            foreach (var job in jobs)
            {
                if (!c.Headset.Retired) job.Apply(c, now, audit);
                var wants = c.Headset.Retired ? [] : job.Wants(c, now).ToList();
                if (ReconcileTasks(job, c, tasks[c.Headset.Id], wants.OfType<TaskWant>(), now)) escalated.Add(c.Headset.Id);
                ReconcileAlerts(job, c, alerts[c.Headset.Id], wants.OfType<AlertWant>(), now);
            }
        }
        await write.CommitAsync(ct);
    }

    /// <summary>Returns true when a task of this headset became overdue.</summary>
    private bool ReconcileTasks(HeadsetJob job, HeadsetContext c, IEnumerable<ScheduledTask> open, IEnumerable<TaskWant> wants, DateTimeOffset now)
    {
        var escalated = false;
        var mine = open.Where(t => job.OwnedTaskKinds.Contains(t.Kind)).ToList();
        foreach (var want in wants)
        {
            if (mine.FirstOrDefault(t => t.Kind == want.Kind) is { } task)
            {
                mine.Remove(task);
                if (want.DueAt is { } due && task.Status == TaskStatuses.Open) ledger.Reschedule(task, due, due + want.OverdueAfter, want.Message);
                escalated |= ledger.EscalateIfDue(task, now);
            }
            else
            {
                var due = want.DueAt ?? now;
                var opened = ledger.OpenTask(want.Kind, c.Headset.WardId, c.Headset.Id, null, due, due + want.OverdueAfter, want.Message, now);
                escalated |= opened.Status == TaskStatuses.Overdue;
            }
        }
        foreach (var task in mine)
        {
            var (status, reason) = c.Headset.Retired ? (TaskStatuses.Cancelled, RetiredReason) : (TaskStatuses.Done, job.Resolution(task.Kind, c, now));
            ledger.CloseTask(task, status, Ledger.JobsActor, reason, now);
        }
        return escalated;
    }

    private void ReconcileAlerts(HeadsetJob job, HeadsetContext c, IEnumerable<Alert> open, IEnumerable<AlertWant> wants, DateTimeOffset now)
    {
        var mine = open.Where(a => job.OwnedAlertKinds.Contains(a.Kind)).ToList();
        foreach (var want in wants)
        {
            if (mine.FirstOrDefault(a => a.Kind == want.Kind) is { } alert) mine.Remove(alert);
            else ledger.OpenAlert(want.Kind, c.Headset.Id, want.Severity, want.Message, now);
        }
        foreach (var alert in mine)
            ledger.CloseAlert(alert, c.Headset.Retired ? RetiredReason : job.Resolution(alert.Kind, c, now), now);
    }
}
