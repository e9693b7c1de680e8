namespace Fleet.Contracts.Api;

public sealed record WardPolicyView(
    int HangTimeMinutes, int CleaningDueMinutes, string DeepCleanAt, int LateEntryWindowHours,
    int BatteryMarginMinutes, int OfflineAfterMinutes, bool RequireWipeBeforeUv);

public sealed record WardPolicyRequest(
    int? HangTimeMinutes, int? CleaningDueMinutes, string? DeepCleanAt, int? LateEntryWindowHours,
    int? BatteryMarginMinutes, int? OfflineAfterMinutes, bool? RequireWipeBeforeUv);

public sealed record WardView(string Id, string Name, WardPolicyView Policy);

public sealed record WardRequest(string? Id, string? Name);

public sealed record ModelView(
    string Id, string Manufacturer, string Name, int BatteryRuntimeMinutes, int BatteryCycleRating,
    double ServiceLifeYears, int FacialInterfaceRating, int HousingCleaningRating, IReadOnlyList<string> AllowedMethods);

public sealed record ModelRequest(
    string? Id, string? Manufacturer, string? Name, int? BatteryRuntimeMinutes, int? BatteryCycleRating,
    double? ServiceLifeYears, int? FacialInterfaceRating, int? HousingCleaningRating, IReadOnlyList<string>? AllowedMethods);

public sealed record ProductView(string Id, string Name, string Method, int ContactSeconds, int? DrySeconds, bool Active, bool Sporicidal);

public sealed record ProductRequest(string? Id, string? Name, string? Method, int? ContactSeconds, int? DrySeconds, bool? Active);
