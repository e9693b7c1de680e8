namespace Fleet.Contracts.Api;

public static class FlagKindNames
{
    public const string MotionSickness = "motion_sickness";
    public const string Damage = "damage";
    public const string Maintenance = "maintenance";
    public const string Recall = "recall";

    public static readonly IReadOnlyList<string> All = [MotionSickness, Damage, Maintenance, Recall];
}

public sealed record RaiseFlagRequest(string? Kind, string? Note);

public sealed record ClearFlagRequest(string? Note);

public sealed record FlagView
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required string Kind { get; init; }
    public required string Note { get; init; }
    public required string RaisedBy { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public string? RaisedByRule { get; init; }

    /// <summary>The rule in words, e.g. "one report FMS 10 or more"; null for a hold a person raised.</summary>
    public string? RaisedByRuleText { get; init; }
    public required bool Open { get; init; }
    public DateTimeOffset? ClearedAt { get; init; }
    public string? ClearedBy { get; init; }
    public string? ClearNote { get; init; }
}

public sealed record ComfortReportRequest(Guid? SessionId, int? Fms, string? Note);

public sealed record ComfortReportView
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public Guid? SessionId { get; init; }
    public int? Fms { get; init; }
    public string? Note { get; init; }
    public required string ReportedBy { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The hold this report raised automatically, if any.</summary>
    public Guid? FlagId { get; init; }
}
