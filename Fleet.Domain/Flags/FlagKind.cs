namespace Fleet.Domain.Flags;

/// <summary>The holds of product.md; each blocks assignment with its own gate code.</summary>
public enum FlagKind
{
    MotionSickness,
    Damage,
    Maintenance,
    Recall,
}

public static class FlagKinds
{
    public static string WireName(this FlagKind k) => k switch
    {
        FlagKind.MotionSickness => "motion_sickness",
        FlagKind.Damage => "damage",
        FlagKind.Maintenance => "maintenance",
        FlagKind.Recall => "recall",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static bool TryParse(string? wire, out FlagKind kind)
    {
        foreach (var k in Enum.GetValues<FlagKind>())
        {
            if (k.WireName() == wire) { kind = k; return true; }
        }
        kind = default;
        return false;
    }

    public static string GateCode(this FlagKind k) => k switch
    {
        FlagKind.MotionSickness => Codes.MotionSicknessFlag,
        FlagKind.Damage => Codes.DamageFlag,
        FlagKind.Maintenance => Codes.Maintenance,
        FlagKind.Recall => Codes.Recall,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static string GateMessage(this FlagKind k) => k switch
    {
        FlagKind.MotionSickness => "A motion-sickness report is open; a biomedical engineer must inspect it before the next patient.",
        FlagKind.Damage => "It has been reported damaged and must be inspected.",
        FlagKind.Maintenance => "It is held for maintenance.",
        FlagKind.Recall => "It is under a recall.",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };
}
