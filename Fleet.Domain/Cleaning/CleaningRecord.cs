using Fleet.Domain.Catalog;

namespace Fleet.Domain.Cleaning;

public enum CleaningStatus
{
    InProgress,
    Valid,
    Invalid,
    Abandoned,
}

/// <summary>
/// One cleaning of one headset. A record is finished exactly once (InProgress to a verdict) and never
/// edited after that; a correction is a new record whose <see cref="CorrectsId"/> names the old one.
/// </summary>
public sealed class CleaningRecord
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required string ProductId { get; init; }
    public required ProductClass Method { get; init; }

    /// <summary>The product's contact time when the cleaning happened, kept so a later catalogue edit cannot rewrite history.</summary>
    public required int ContactSeconds { get; init; }

    /// <summary>The user name, or the cabinet for a UV-C cycle.</summary>
    public required string Operator { get; init; }
    public string? CabinetId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public bool FacialInterfaceReplaced { get; private set; }
    public string? Note { get; private set; }
    public CleaningStatus Status { get; private set; } = CleaningStatus.InProgress;

    /// <summary>Comma-separated codes of every rule the cleaning broke (for compliance by reason).</summary>
    public string? InvalidCodes { get; private set; }
    public string? InvalidReason { get; private set; }

    /// <summary>The last session had contact precautions when this cleaning started.</summary>
    public required bool SporicidalRequired { get; init; }
    public bool Late { get; private set; }
    public required DateTimeOffset RecordedAt { get; init; }
    public Guid? CorrectsId { get; init; }

    public bool Valid => Status == CleaningStatus.Valid;
    public IReadOnlyList<string> InvalidCodeList => InvalidCodes?.Split(',') ?? [];

    /// <summary>Every rule this cleaning broke, each with its sentence.</summary>
    public IReadOnlyList<Refusal> Problems =>
        InvalidCodeList.Zip((InvalidReason ?? "").Split('\n').Concat(Enumerable.Repeat("", InvalidCodeList.Count)))
            .Select(p => new Refusal(p.First, p.Second)).ToList();

    public void Finish(DateTimeOffset completedAt, bool facialInterfaceReplaced, string? note, IReadOnlyList<Refusal> problems, bool late)
    {
        if (Status != CleaningStatus.InProgress) throw new InvalidOperationException($"Cleaning {Id} is already {Status}.");
        CompletedAt = completedAt;
        FacialInterfaceReplaced = facialInterfaceReplaced;
        Note = note;
        Late = late;
        Status = problems.Count == 0 ? CleaningStatus.Valid : CleaningStatus.Invalid;
        if (problems.Count > 0)
        {
            InvalidCodes = string.Join(',', problems.Select(p => p.Code));
            InvalidReason = string.Join('\n', problems.Select(p => p.Message.ReplaceLineEndings(" ")));
        }
    }

    public void Abandon(DateTimeOffset at, string reason)
    {
        if (Status != CleaningStatus.InProgress) return;
        CompletedAt = at;
        Note = reason;
        Status = CleaningStatus.Abandoned;
    }
}
