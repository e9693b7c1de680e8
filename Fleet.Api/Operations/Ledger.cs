using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;

namespace Fleet.Api.Operations;

/// <summary>Opens, escalates and closes tasks and alerts, each with its audit entry, inside the caller's write.</summary>
public sealed class Ledger(FleetDb db, AuditTrail audit)
{
    public static readonly string JobsActor = Actor.System("jobs");

    public ScheduledTask OpenTask(string kind, string wardId, string? headsetId, DateOnly? day,
        DateTimeOffset dueAt, DateTimeOffset overdueAt, string message, DateTimeOffset now)
    {
        var task = new ScheduledTask
        {
            Id = Guid.CreateVersion7(now), Kind = kind, WardId = wardId, HeadsetId = headsetId, Day = day,
            DueAt = dueAt, OverdueAt = overdueAt, Status = TaskStatuses.Open, Message = message, CreatedAt = now,
        };
        db.Add(task);
        Record(task, "task.opened", message);
        if (now >= overdueAt) Escalate(task);
        return task;
    }

    /// <summary>Returns true when the task has just become overdue.</summary>
    public bool EscalateIfDue(ScheduledTask task, DateTimeOffset now)
    {
        if (task.Status != TaskStatuses.Open || now < task.OverdueAt) return false;
        Escalate(task);
        return true;
    }

    /// <summary>A policy change moved the deadline of a task that is not yet overdue.</summary>
    public void Reschedule(ScheduledTask task, DateTimeOffset dueAt, DateTimeOffset overdueAt, string message)
    {
        if (task.DueAt == dueAt && task.OverdueAt == overdueAt) return;
        var before = new { task.DueAt, task.OverdueAt };
        task.DueAt = dueAt;
        task.OverdueAt = overdueAt;
        task.Message = message;
        Record(task, "task.rescheduled", "The ward policy changed.", new { before, after = new { dueAt, overdueAt } });
    }

    public void CloseTask(ScheduledTask task, string status, string by, string reason, DateTimeOffset now)
    {
        task.Status = status;
        task.ClosedAt = now;
        task.ClosedBy = by;
        task.CloseReason = reason;
        Record(task, "task.closed", reason, actor: by);
    }

    public Alert OpenAlert(string kind, string headsetId, string severity, string message, DateTimeOffset now, string? actor = null)
    {
        var alert = new Alert { Id = Guid.CreateVersion7(now), Kind = kind, HeadsetId = headsetId, Severity = severity, Message = message, OpenedAt = now };
        db.Add(alert);
        audit.Record(actor ?? JobsActor, "alert.opened", "headset", headsetId, message, new { alertId = alert.Id, kind, severity });
        return alert;
    }

    public void CloseAlert(Alert alert, string reason, DateTimeOffset now, string? actor = null)
    {
        alert.ClosedAt = now;
        alert.ClosedBy = actor ?? JobsActor;
        alert.CloseReason = reason;
        audit.Record(actor ?? JobsActor, "alert.closed", "headset", alert.HeadsetId, reason, new { alertId = alert.Id, alert.Kind });
    }

    private void Escalate(ScheduledTask task)
    {
        task.Status = TaskStatuses.Overdue;
        Record(task, "task.overdue", $"Not done by {task.OverdueAt:yyyy-MM-dd HH:mm} UTC.");
    }

    // A headset's tasks belong in its own trail; a deep clean in its ward's.
    private void Record(ScheduledTask task, string action, string reason, object? extra = null, string? actor = null) =>
        audit.Record(actor ?? JobsActor, action, task.HeadsetId is null ? "ward" : "headset", task.HeadsetId ?? task.WardId, reason,
            new { taskId = task.Id, task.Kind, task.Status, task.DueAt, task.OverdueAt, extra });
}
