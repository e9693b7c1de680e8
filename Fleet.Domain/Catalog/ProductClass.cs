namespace Fleet.Domain.Catalog;

/// <summary>Disinfectant classes from product.md. A model's maker allows some of them.</summary>
public enum ProductClass
{
    QuaternaryAmmonium,
    Alcohol70,
    HydrogenPeroxide,
    HypochloriteSporicidal,
    UvcCabinet,
}

public static class ProductClassExtensions
{
    /// <summary>Only hypochlorite kills C. difficile spores among the defaults; contact precautions need it.</summary>
    public static bool IsSporicidal(this ProductClass c) => c == ProductClass.HypochloriteSporicidal;

    public static bool IsWipe(this ProductClass c) => c != ProductClass.UvcCabinet;

    public static string Describe(this ProductClass c) => c switch
    {
        ProductClass.QuaternaryAmmonium => "quaternary ammonium",
        ProductClass.Alcohol70 => "70 % alcohol",
        ProductClass.HydrogenPeroxide => "hydrogen peroxide",
        ProductClass.HypochloriteSporicidal => "hypochlorite (sporicidal)",
        ProductClass.UvcCabinet => "UV-C cabinet",
        _ => c.ToString(),
    };
}
