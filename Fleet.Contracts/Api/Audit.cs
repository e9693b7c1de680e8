namespace Fleet.Contracts.Api;

public sealed record AuditEntryView(
    long Seq, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId,
    string? Reason, string? Data, bool Late, DateTimeOffset? OccurredAt, string Hash);

public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBrokenSeq, string? Problem);
