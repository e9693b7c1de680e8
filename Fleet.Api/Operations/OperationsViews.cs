using Fleet.Contracts.Api;

namespace Fleet.Api.Operations;

public static class OperationsViews
{
    public static TaskView Task(ScheduledTask t) => new()
    {
        Id = t.Id, Kind = t.Kind, HeadsetId = t.HeadsetId, WardId = t.WardId, DueAt = t.DueAt, OverdueAt = t.OverdueAt,
        Status = t.Status, Message = t.Message, CreatedAt = t.CreatedAt, ClosedAt = t.ClosedAt, ClosedBy = t.ClosedBy, CloseReason = t.CloseReason,
    };

    public static AlertView Alert(Alert a) => new()
    {
        Id = a.Id, Kind = a.Kind, HeadsetId = a.HeadsetId, Severity = a.Severity, Message = a.Message, OpenedAt = a.OpenedAt,
        ClosedAt = a.ClosedAt, Open = a.ClosedAt is null, ClosedBy = a.ClosedBy, CloseReason = a.CloseReason,
    };
}
