namespace Fleet.Contracts.Api;

/// <summary>One hand-over from one patient to the next on one headset, and whether a valid cleaning stood between them.</summary>
public sealed record TraceLink
{
    /// <summary>1 for the subject's own contacts, 2 for contacts of those, and so on.</summary>
    public required int Depth { get; init; }
    public required string HeadsetId { get; init; }
    public required string FromPatientRef { get; init; }
    public required Guid FromSessionId { get; init; }
    public required DateTimeOffset FromSessionEndedAt { get; init; }
    public required string ToPatientRef { get; init; }
    public required Guid ToSessionId { get; init; }
    public required DateTimeOffset ToSessionStartedAt { get; init; }

    /// <summary>True when a valid cleaning completed between the two sessions (the later patient was protected).</summary>
    public required bool ValidCleaningBetween { get; init; }
    public Guid? CleaningId { get; init; }

    /// <summary>A sentence for the infection-prevention lead, e.g. why a cleaning in between did not count.</summary>
    public required string Explanation { get; init; }
}

public sealed record TraceResult
{
    public string? PatientRef { get; init; }
    public string? HeadsetId { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required int Depth { get; init; }

    /// <summary>Every headset the subject (or someone reached through it) used in the period.</summary>
    public required IReadOnlyList<string> Headsets { get; init; }
    public required IReadOnlyList<TraceLink> Links { get; init; }

    /// <summary>Patients reached without a valid cleaning in between at some step.</summary>
    public required IReadOnlyList<string> ExposedPatients { get; init; }

    /// <summary>Where the trace starts: the subject patient, or everyone who used the subject headset in the period.</summary>
    public IReadOnlyList<string> SourcePatients { get; init; } = [];
}

public sealed record ComplianceReport
{
    public string? WardId { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required int Sessions { get; init; }
    public required int SessionsPrecededByValidCleaning { get; init; }

    /// <summary>Between 0 and 1; null when there were no sessions.</summary>
    public double? SharePrecededByValidCleaning { get; init; }
    public double? DirtyToCleanMedianMinutes { get; init; }
    public double? DirtyToCleanP90Minutes { get; init; }
    public required int OverdueCount { get; init; }

    /// <summary>Dirty periods that began in the period (the population of the Dirty-to-Clean figures and the overdue count).</summary>
    public int DirtyPeriods { get; init; }

    /// <summary>Of those, how many were still not cleaned when the report was made.</summary>
    public int OpenDirtyPeriods { get; init; }
    public required int ValidCleanings { get; init; }
    public required int InvalidCleanings { get; init; }
    public required IReadOnlyDictionary<string, int> InvalidCleaningsByReason { get; init; }
}

/// <summary>Server-sent event from <c>GET /api/v1/stream</c> (event name <c>headset</c>): one headset changed.</summary>
public sealed record HeadsetChanged(string HeadsetId, HeadsetSummary Summary);

/// <summary>
/// One record behind a compliance count (<c>GET /api/v1/compliance/records</c>): which headset, when, who (the member of
/// staff, never the patient) and why it counts as it does. <see cref="Metrics"/> names every count it is part of.
/// </summary>
public sealed record ComplianceRecord(string Kind, string HeadsetId, DateTimeOffset At, string? Who, string Why, IReadOnlyList<string> Metrics);

public static class ComplianceRecordKinds
{
    public const string Session = "session";
    public const string DirtyPeriod = "dirty_period";
    public const string Cleaning = "cleaning";
}

/// <summary>The counts of <see cref="ComplianceReport"/> a record can belong to.</summary>
public static class ComplianceMetrics
{
    public const string Sessions = "sessions";
    public const string Preceded = "preceded";
    public const string NotPreceded = "not_preceded";
    public const string DirtyPeriods = "dirty_periods";
    public const string OpenDirtyPeriods = "open_dirty_periods";
    public const string Overdue = "overdue";
    public const string ValidCleanings = "valid_cleanings";
    public const string InvalidCleanings = "invalid_cleanings";
    private const string InvalidPrefix = "invalid:";

    public static string InvalidBecause(string code) => InvalidPrefix + code;

    public static bool IsKnown(string metric) =>
        metric is Sessions or Preceded or NotPreceded or DirtyPeriods or OpenDirtyPeriods or Overdue or ValidCleanings or InvalidCleanings
        || (metric.StartsWith(InvalidPrefix, StringComparison.Ordinal) && metric.Length > InvalidPrefix.Length);
}
