namespace Fleet.Contracts.Api;

/// <summary>A stable code and a sentence a person understands.</summary>
public sealed record Reason(string Code, string Message);

/// <summary>The hygiene states as they appear on the wire.</summary>
public static class HygieneStates
{
    public const string Dirty = "Dirty";
    public const string Cleaning = "Cleaning";
    public const string Clean = "Clean";
    public const string InUse = "InUse";
    public const string Expired = "Expired";
}

/// <summary>Cleaning methods (disinfectant classes) as they appear on the wire.</summary>
public static class Methods
{
    public const string QuaternaryAmmonium = "quaternary_ammonium";
    public const string Alcohol70 = "alcohol_70";
    public const string HydrogenPeroxide = "hydrogen_peroxide";
    public const string Hypochlorite = "hypochlorite";
    public const string Uvc = "uvc";

    public static readonly IReadOnlyList<string> All = [QuaternaryAmmonium, Alcohol70, HydrogenPeroxide, Hypochlorite, Uvc];
}
