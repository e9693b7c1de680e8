using System.Globalization;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;

namespace Fleet.Domain.Assignment;

/// <summary>Everything the gate needs about one headset at one moment.</summary>
public sealed record GateInput
{
    public required HygieneState Hygiene { get; init; }
    public required bool InOpenSession { get; init; }
    public required IReadOnlyCollection<FlagKind> OpenFlags { get; init; }
    public required bool Retired { get; init; }
    public required int? BatteryPercent { get; init; }
    public required int ModelRuntimeMinutes { get; init; }
    public required int FacialInterfaceCleanings { get; init; }
    public required int FacialInterfaceRating { get; init; }

    /// <summary>When its agent was last heard from; null when no agent has ever reported.</summary>
    public required DateTimeOffset? LastSeenAt { get; init; }
    public required int SessionMinutes { get; init; }
    public required HygienePolicy Policy { get; init; }
    public required DateTimeOffset Now { get; init; }
}

public sealed record GateResult(IReadOnlyList<Refusal> Reasons, IReadOnlyList<Refusal> Warnings)
{
    public bool Ready => Reasons.Count == 0;
}

/// <summary>
/// The assignment gate of product.md: a headset goes to a patient only if none of the holds applies.
/// It returns every one that applies, never just "no".
/// </summary>
public static class AssignmentGate
{
    public static GateResult Evaluate(GateInput h)
    {
        var reasons = new List<Refusal>();
        var warnings = new List<Refusal>();

        if (h.Hygiene.NeedsCleaning())
            reasons.Add(new(Codes.NotClean, h.Hygiene switch
            {
                HygieneState.Cleaning => "It is being cleaned; wait until the cleaning is completed.",
                HygieneState.Expired => $"Its clean status expired ({Duration(h.Policy.HangTime)} hang time); clean it again before the next patient.",
                _ => "It is dirty and must be cleaned before the next patient.",
            }));

        if (h.InOpenSession || h.Hygiene == HygieneState.InUse)
            reasons.Add(new(Codes.InUse, "It is in a session with another patient."));

        foreach (var kind in h.OpenFlags.Distinct().Order())
            reasons.Add(new(kind.GateCode(), kind.GateMessage()));

        if (h.Retired)
            reasons.Add(new(Codes.Retired, "It has been retired from service."));

        if (h.BatteryPercent is { } percent)
        {
            // Multiply first: percent / 100.0 is inexact in binary (29 / 100.0 * 100 = 28.999...), which refused
            // batteries that exactly cover the session plus the margin. The integer product divides exactly.
            var predicted = percent * h.ModelRuntimeMinutes / 100.0;
            var needed = h.SessionMinutes + h.Policy.BatteryMargin.TotalMinutes;
            if (predicted < needed)
                reasons.Add(new(Codes.BatteryInsufficient, string.Create(CultureInfo.InvariantCulture,
                    $"Its battery ({percent} %) lasts about {predicted:0} min, less than the {h.SessionMinutes} min session plus a {h.Policy.BatteryMargin.TotalMinutes:0} min margin.")));
        }
        else
        {
            warnings.Add(new(Codes.BatteryUnknown, "No battery report has been received yet, so its charge is unknown; check it by hand."));
        }

        if (h.FacialInterfaceRating > 0 && h.FacialInterfaceCleanings >= h.FacialInterfaceRating)
            reasons.Add(new(Codes.FacialInterfaceWorn,
                $"Its facial interface has had {h.FacialInterfaceCleanings} cleanings (rated for {h.FacialInterfaceRating}) and must be replaced."));

        if (Telemetry.IsSilent(h.LastSeenAt, h.Now, h.Policy.OfflineAfter) && h.LastSeenAt is { } seen)
        {
            var silent = $"Its agent has not been heard from for {Duration(h.Now - seen)}";
            if (h.Hygiene == HygieneState.Clean)
                warnings.Add(new(Codes.OfflineUnverified, $"{silent}; it was last known clean, but use since then cannot be ruled out."));
            else
                reasons.Add(new(Codes.OfflineUnverified, $"{silent}, and it was last known not clean, so its state cannot be verified."));
        }

        return new(reasons, warnings);
    }

    private static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(t.TotalMinutes):0} min");
}
