namespace Fleet.Domain.Assignment;

public sealed record PickCandidate(string HeadsetId, GateResult Gate, double LifetimeConsumed, int Cleanings, int? BatteryPercent);

/// <summary>"Pick for me": the best ready headset in the ward.</summary>
public static class HeadsetPicker
{
    /// <summary>
    /// Ready ones only; those with no warnings first (a known battery beats an unknown one), then the least worn,
    /// so wear levels across the fleet; then the fullest battery. The id breaks ties so the choice is repeatable.
    /// </summary>
    public static IReadOnlyList<PickCandidate> Rank(IEnumerable<PickCandidate> candidates) =>
        candidates
            .Where(c => c.Gate.Ready)
            .OrderBy(c => c.Gate.Warnings.Count)
            .ThenBy(c => Math.Round(c.LifetimeConsumed, 3))
            .ThenBy(c => c.Cleanings)
            .ThenByDescending(c => c.BatteryPercent ?? -1)
            .ThenBy(c => c.HeadsetId, StringComparer.Ordinal)
            .ToList();
}
