namespace Fleet.Domain.Hygiene;

/// <summary>
/// A ward's hygiene numbers. Every number in product.md is a default that a ward can change; rules read
/// them from here, never from constants, so a policy change takes effect on the next evaluation.
/// </summary>
public sealed record HygienePolicy
{
    public TimeSpan HangTime { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan CleaningDue { get; init; } = TimeSpan.FromMinutes(30);
    public TimeOnly DeepCleanAt { get; init; } = new(6, 0);
    public TimeSpan LateEntryWindow { get; init; } = TimeSpan.FromHours(72);
    public TimeSpan BatteryMargin { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan OfflineAfter { get; init; } = TimeSpan.FromMinutes(10);
    public bool RequireWipeBeforeUv { get; init; }

    /// <summary>How far behind real time an entry may be before it is marked late (clock skew and typing).</summary>
    public static readonly TimeSpan LateGrace = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a device or person may date something (clock skew).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>The session length used for readiness when the caller does not say.</summary>
    public const int DefaultSessionMinutes = 30;

    public static HygienePolicy Default { get; } = new();
}
