namespace Fleet.Domain.Sessions;

/// <summary>A headset handed to one patient reference for one therapy session.</summary>
public sealed class Session
{
    public const string ContactPrecaution = "contact";
    public static readonly IReadOnlyList<string> KnownPrecautions = [ContactPrecaution, "droplet", "airborne"];

    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }

    /// <summary>An opaque hospital identifier (MRN or FHIR Patient id): never a name.</summary>
    public required string PatientRef { get; init; }
    public required string WardId { get; init; }
    public required int SessionMinutes { get; init; }
    public List<string> Precautions { get; init; } = [];
    public required DateTimeOffset StartedAt { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? EndedBy { get; private set; }
    public long? WearSeconds { get; private set; }
    public string? App { get; set; }
    public double? FpsAvg { get; private set; }
    public double? DroppedFramePercent { get; private set; }
    public int? TrackingLostCount { get; private set; }

    public bool Open => EndedAt is null;
    public bool ContactPrecautions => Precautions.Contains(ContactPrecaution);

    public void End(DateTimeOffset at, string by, long? wearSeconds)
    {
        if (!Open) throw new InvalidOperationException($"Session {Id} has already ended.");
        EndedAt = at < StartedAt ? StartedAt : at;
        EndedBy = by;
        WearSeconds = wearSeconds ?? (long)(EndedAt.Value - StartedAt).TotalSeconds;
    }

    public void RecordPerformance(double? fpsAvg, double? droppedFramePercent, int? trackingLostCount, long? wearSeconds)
    {
        FpsAvg = fpsAvg;
        DroppedFramePercent = droppedFramePercent;
        TrackingLostCount = trackingLostCount;
        if (wearSeconds is not null) WearSeconds = wearSeconds;
    }
}
