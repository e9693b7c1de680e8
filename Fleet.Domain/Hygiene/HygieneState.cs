namespace Fleet.Domain.Hygiene;

/// <summary>The hygiene state machine of product.md. Expired is treated as Dirty everywhere.</summary>
public enum HygieneState
{
    Dirty,
    Cleaning,
    Clean,
    InUse,
    Expired,
}

public static class HygieneStateExtensions
{
    public static bool NeedsCleaning(this HygieneState state) =>
        state is HygieneState.Dirty or HygieneState.Cleaning or HygieneState.Expired;
}
