namespace Fleet.Domain;

/// <summary>The stable codes of every refusal, block and warning. Clients switch on these; never rename one.</summary>
public static class Codes
{
    // Assignment gate (api.md, product.md "Assignment gate").
    public const string NotClean = "not_clean";
    public const string InUse = "in_use";
    public const string MotionSicknessFlag = "motion_sickness_flag";
    public const string DamageFlag = "damage_flag";
    public const string Maintenance = "maintenance";
    public const string Recall = "recall";
    public const string Retired = "retired";
    public const string BatteryInsufficient = "battery_insufficient";
    public const string FacialInterfaceWorn = "facial_interface_worn";
    public const string OfflineUnverified = "offline_unverified";
    public const string BatteryUnknown = "battery_unknown";

    // Cleaning validity.
    public const string ContactTimeNotMet = "contact_time_not_met";
    public const string ProductNotAllowedForModel = "product_not_allowed_for_model";
    public const string SporicidalRequired = "sporicidal_required";
    public const string LateEntryWindowExceeded = "late_entry_window_exceeded";
    public const string UvCycleIncomplete = "uv_cycle_incomplete";
    public const string WipeRequiredBeforeUv = "wipe_required_before_uv";
    public const string ProductInactive = "product_inactive";
    public const string CleaningAlreadyFinished = "cleaning_already_finished";

    // Generic.
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string NoHeadsetAvailable = "no_headset_available";
}

/// <summary>Why something may not happen: a stable code and a sentence a nurse understands.</summary>
public sealed record Refusal(string Code, string Message);
