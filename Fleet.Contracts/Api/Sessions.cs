namespace Fleet.Contracts.Api;

public sealed record AssignRequest(string? HeadsetId, string? PatientRef, string? WardId, int? SessionMinutes, IReadOnlyList<string>? Precautions);

public sealed record SessionView
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required string PatientRef { get; init; }
    public required string WardId { get; init; }
    public required int SessionMinutes { get; init; }
    public required IReadOnlyList<string> Precautions { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndedBy { get; init; }
    public long? WearSeconds { get; init; }
    public string? App { get; init; }
    public double? FpsAvg { get; init; }
    public double? DroppedFramePercent { get; init; }
    public int? TrackingLostCount { get; init; }

    /// <summary>Warnings the gate gave when the session was assigned (for example battery_unknown).</summary>
    public IReadOnlyList<Reason> Warnings { get; init; } = [];
}
