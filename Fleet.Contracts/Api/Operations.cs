namespace Fleet.Contracts.Api;

/// <summary>Kinds of scheduled work (product.md hygiene rules 6 and 7).</summary>
public static class TaskKinds
{
    public const string CleaningDue = "cleaning_due";
    public const string DeepClean = "deep_clean";
    public const string FacialInterfaceReplacement = "facial_interface_replacement";
    public const string Inspection = "inspection";

    public static readonly IReadOnlyList<string> All = [CleaningDue, DeepClean, FacialInterfaceReplacement, Inspection];
}

/// <summary>A scheduled task: due, then overdue, then done (closed by the action that resolves it) or cancelled.</summary>
public sealed record TaskView
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public string? HeadsetId { get; init; }
    public string? WardId { get; init; }
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>open, overdue, done or cancelled.</summary>
    public required string Status { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }

    /// <summary>When it escalates: the due time, or later for work with a grace period (a deep clean, an inspection).</summary>
    public DateTimeOffset? OverdueAt { get; init; }

    /// <summary>What closed it: the resolving action, or the note of the person who completed it.</summary>
    public string? CloseReason { get; init; }
}

public static class AlertKinds
{
    public const string BatteryTemperature = "battery_temperature";
    public const string BatteryHealth = "battery_health";
    public const string StorageLow = "storage_low";
    public const string OfflineInSession = "offline_in_session";
    public const string Offline = "offline";
    public const string CleaningOverdue = "cleaning_overdue";
    public const string LifetimeHigh = "lifetime_high";

    /// <summary>The EHR refuses Fleet's credentials: the push waits until someone fixes the registration.</summary>
    public const string EhrAuthorization = "ehr_authorization";

    public static readonly IReadOnlyList<string> All = [BatteryTemperature, BatteryHealth, StorageLow, OfflineInSession, Offline, CleaningOverdue, LifetimeHigh, EhrAuthorization];
}

/// <summary>An alert opens once when its condition starts and closes itself when the condition ends.</summary>
public sealed record AlertView
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public required string HeadsetId { get; init; }

    /// <summary>warning or critical.</summary>
    public required string Severity { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public required bool Open { get; init; }
    public string? ClosedBy { get; init; }
    public string? CloseReason { get; init; }
}

public sealed record ReplacementDue(string HeadsetId, string Dimension, DateTimeOffset ForecastAt, double LifetimeConsumedPercent);

public sealed record FleetHealth
{
    public required int Total { get; init; }
    public required int Ready { get; init; }
    public required int Online { get; init; }
    public required int Retired { get; init; }
    public required IReadOnlyDictionary<string, int> ByState { get; init; }
    public required IReadOnlyDictionary<string, int> OpenAlertsByKind { get; init; }
    public required IReadOnlyList<AlertView> OpenAlerts { get; init; }

    /// <summary>Headsets whose first lifetime dimension reaches 100 % within the next 90 days.</summary>
    public required IReadOnlyList<ReplacementDue> DueForReplacement { get; init; }
}
