namespace Fleet.Contracts.Api;

public sealed record WardPolicyView(
    int HangTimeMinutes, int CleaningDueMinutes, string DeepCleanAt, int LateEntryWindowHours,
    int BatteryMarginMinutes, int OfflineAfterMinutes, bool RequireWipeBeforeUv);

public sealed record WardPolicyRequest(
    int? HangTimeMinutes, int? CleaningDueMinutes, string? DeepCleanAt, int? LateEntryWindowHours,
    int? BatteryMarginMinutes, int? OfflineAfterMinutes, bool? RequireWipeBeforeUv);

/// <summary><paramref name="TimeZone"/>: the IANA zone the ward's clocks show; its times of day (deep clean) follow it.</summary>
public sealed record WardView(string Id, string Name, WardPolicyView Policy, string TimeZone = "UTC");

/// <summary><paramref name="TimeZone"/>: an IANA id such as Europe/London; UTC when a ward is created without one, unchanged when left out of an edit.</summary>
public sealed record WardRequest(string? Id, string? Name, string? TimeZone = null);

public sealed record ModelView(
    string Id, string Manufacturer, string Name, int BatteryRuntimeMinutes, int BatteryCycleRating,
    double ServiceLifeYears, int FacialInterfaceRating, int HousingCleaningRating, IReadOnlyList<string> AllowedMethods);

public sealed record ModelRequest(
    string? Id, string? Manufacturer, string? Name, int? BatteryRuntimeMinutes, int? BatteryCycleRating,
    double? ServiceLifeYears, int? FacialInterfaceRating, int? HousingCleaningRating, IReadOnlyList<string>? AllowedMethods);

public sealed record ProductView(string Id, string Name, string Method, int ContactSeconds, int? DrySeconds, bool Active, bool Sporicidal);

public sealed record ProductRequest(string? Id, string? Name, string? Method, int? ContactSeconds, int? DrySeconds, bool? Active);
