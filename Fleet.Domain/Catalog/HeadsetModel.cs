namespace Fleet.Domain.Catalog;

/// <summary>A make and model with the ratings that lifetime and the gate are computed from.</summary>
public sealed class HeadsetModel
{
    public required string Id { get; init; }
    public required string Manufacturer { get; set; }
    public required string Name { get; set; }
    public required int BatteryRuntimeMinutes { get; set; }
    public required int BatteryCycleRating { get; set; }
    public required double ServiceLifeYears { get; set; }

    /// <summary>Cleanings a facial interface or liner survives before it must be replaced.</summary>
    public required int FacialInterfaceRating { get; set; }

    /// <summary>Cleanings the housing plastics are rated for before stress cracking is expected.</summary>
    public required int HousingCleaningRating { get; set; }

    /// <summary>The cleaning methods the maker allows (for example no alcohol on the lenses).</summary>
    public List<ProductClass> AllowedClasses { get; set; } = [];

    public bool Allows(ProductClass c) => AllowedClasses.Contains(c);
}
