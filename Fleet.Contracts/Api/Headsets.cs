namespace Fleet.Contracts.Api;

public sealed record RegisterHeadsetRequest(string? Serial, string? AssetTag, string? ModelId, string? WardId);

/// <summary>Corrects a registration; every field is required (the form sends what it shows).</summary>
public sealed record UpdateHeadsetRequest(string? AssetTag, string? ModelId, string? WardId);

public sealed record IdResponse(string Id);

public sealed record HeadsetSummary
{
    public required string Id { get; init; }
    public required string Serial { get; init; }
    public required string AssetTag { get; init; }
    public required string ModelId { get; init; }
    public required string ModelName { get; init; }
    public required string WardId { get; init; }
    public required string Hygiene { get; init; }
    public required bool Ready { get; init; }
    public required IReadOnlyList<Reason> Reasons { get; init; }
    public required IReadOnlyList<Reason> Warnings { get; init; }
    public int? BatteryPercent { get; init; }
    public bool? Charging { get; init; }
    public double? BatteryTemperatureC { get; init; }
    public int? BatteryHealthPercent { get; init; }
    public required bool Online { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public required double LifetimeConsumedPercent { get; init; }
    public DateTimeOffset? LifetimeForecast { get; init; }
    public required bool Retired { get; init; }
    public DateTimeOffset? NeedsCleaningSince { get; init; }
    public DateTimeOffset? CleaningDueAt { get; init; }
    public DateTimeOffset? CleanExpiresAt { get; init; }
    public required IReadOnlyList<string> OpenFlags { get; init; }
    public Guid? OpenSessionId { get; init; }
}

public sealed record HeadsetCountersView(
    int Sessions, long WearMinutes, int Cleanings, IReadOnlyDictionary<string, int> CleaningsByMethod,
    int FacialInterfaceCleanings, int FacialInterfaceReplacements, int BatteryCycles);

public sealed record TelemetryView
{
    public int? BatteryPercent { get; init; }
    public bool? Charging { get; init; }
    public double? BatteryTemperatureC { get; init; }
    public int? BatteryHealthPercent { get; init; }
    public int? BatteryCycleCount { get; init; }
    public DateTimeOffset? BatteryAt { get; init; }
    public string? DeviceModel { get; init; }
    public string? Firmware { get; init; }
    public string? Os { get; init; }
    public long? StorageFreeMb { get; init; }
    public int? WifiRssi { get; init; }
    public DateTimeOffset? DeviceInfoAt { get; init; }
}

public sealed record LifetimePartView(string Dimension, double Used, double Rated, double Percent, DateTimeOffset? ForecastAt);

public sealed record HeadsetDetail
{
    public required HeadsetSummary Summary { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? CleanedAt { get; init; }
    public required bool SporicidalRequired { get; init; }
    public Guid? ActiveCleaningId { get; init; }
    public DateTimeOffset? RetiredAt { get; init; }
    public string? RetiredNote { get; init; }
    public DateTimeOffset? LastInspectionAt { get; init; }
    public DateTimeOffset? FacialInterfaceReplacedAt { get; init; }
    public DateTimeOffset? EnrolledAt { get; init; }
    public required HeadsetCountersView Counters { get; init; }
    public required TelemetryView Telemetry { get; init; }
    public required IReadOnlyList<LifetimePartView> Lifetime { get; init; }
    public required IReadOnlyList<FlagView> Flags { get; init; }
}

public sealed record Readiness(string HeadsetId, bool Ready, string Hygiene, int SessionMinutes, IReadOnlyList<Reason> Reasons, IReadOnlyList<Reason> Warnings);

public sealed record MarkDirtyRequest(string? Reason);

public sealed record RetireRequest(string? Note);

/// <summary>The agent's broker credentials; the account accepts only <paramref name="ClientId"/> as its MQTT client id.</summary>
public sealed record EnrollmentView(string HeadsetId, string Username, string Password, string TopicPrefix, DateTimeOffset IssuedAt, string ClientId);
