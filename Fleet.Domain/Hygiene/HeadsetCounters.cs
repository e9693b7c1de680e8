using Fleet.Domain.Catalog;

namespace Fleet.Domain.Hygiene;

/// <summary>Lifetime counters. They only ever grow, except the facial-interface count, which restarts at a replacement.</summary>
public sealed class HeadsetCounters
{
    public int Sessions { get; set; }
    public long WearSeconds { get; set; }
    public int Cleanings { get; set; }
    public int CleaningsQuaternaryAmmonium { get; set; }
    public int CleaningsAlcohol { get; set; }
    public int CleaningsHydrogenPeroxide { get; set; }
    public int CleaningsHypochlorite { get; set; }
    public int CleaningsUvc { get; set; }
    public int FacialInterfaceCleanings { get; set; }
    public int FacialInterfaceReplacements { get; set; }
    public int BatteryCycles { get; set; }

    /// <summary>Every completed cleaning wears the hardware, valid or not: the chemicals touched it either way.</summary>
    internal void CountCleaning(ProductClass method, bool facialInterfaceReplaced, bool wearsInterface = true)
    {
        Cleanings++;
        switch (method)
        {
            case ProductClass.QuaternaryAmmonium: CleaningsQuaternaryAmmonium++; break;
            case ProductClass.Alcohol70: CleaningsAlcohol++; break;
            case ProductClass.HydrogenPeroxide: CleaningsHydrogenPeroxide++; break;
            case ProductClass.HypochloriteSporicidal: CleaningsHypochlorite++; break;
            case ProductClass.UvcCabinet: CleaningsUvc++; break;
        }

        if (facialInterfaceReplaced)
        {
            FacialInterfaceReplacements++;
            FacialInterfaceCleanings = 0;
        }
        else if (method.IsWipe() && wearsInterface)
        {
            // UV-C light does not soak the foam; only wipes wear the interface.
            FacialInterfaceCleanings++;
        }
    }

    public IReadOnlyDictionary<ProductClass, int> ByMethod() => new Dictionary<ProductClass, int>
    {
        [ProductClass.QuaternaryAmmonium] = CleaningsQuaternaryAmmonium,
        [ProductClass.Alcohol70] = CleaningsAlcohol,
        [ProductClass.HydrogenPeroxide] = CleaningsHydrogenPeroxide,
        [ProductClass.HypochloriteSporicidal] = CleaningsHypochlorite,
        [ProductClass.UvcCabinet] = CleaningsUvc,
    };
}
