namespace Fleet.Contracts.Api;

/// <summary><paramref name="ReplaceReason"/>: why a cleaning in progress is replaced; recorded on the abandoned one.</summary>
public sealed record StartCleaningRequest(string? ProductId, string? ReplaceReason = null);

public sealed record CleaningStarted(Guid Id, string HeadsetId, string ProductId, int ContactSeconds, DateTimeOffset StartedAt, DateTimeOffset EarliestCompletion);

public sealed record CompleteCleaningRequest(bool? FacialInterfaceReplaced, string? Note);

public sealed record LogCleaningRequest(
    string? ProductId, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    bool? FacialInterfaceReplaced, string? Note, Guid? CorrectsId);

public sealed record CleaningView
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required string ProductId { get; init; }
    public required string Method { get; init; }
    public required int ContactSeconds { get; init; }
    public required string Operator { get; init; }
    public string? CabinetId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the contact time is met (CleaningRules.EarliestCompletion): a countdown shows this, never its own sum.</summary>
    public required DateTimeOffset EarliestCompletion { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>InProgress, Valid, Invalid or Abandoned.</summary>
    public required string Status { get; init; }
    public required bool Valid { get; init; }
    public required IReadOnlyList<Reason> Problems { get; init; }
    public required bool Late { get; init; }
    public required bool FacialInterfaceReplaced { get; init; }
    public required bool SporicidalRequired { get; init; }
    public string? Note { get; init; }
    public Guid? CorrectsId { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}

public sealed record CleaningQueueItem
{
    public required string HeadsetId { get; init; }
    public required string AssetTag { get; init; }
    public required string WardId { get; init; }
    public required string Hygiene { get; init; }
    public required DateTimeOffset NeedsCleaningSince { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required bool Overdue { get; init; }
    public required bool SporicidalRequired { get; init; }
    public Guid? ActiveCleaningId { get; init; }
    public DateTimeOffset? ActiveCleaningEarliestCompletion { get; init; }
    public required int FacialInterfaceCleanings { get; init; }
    public required int FacialInterfaceRating { get; init; }
}
