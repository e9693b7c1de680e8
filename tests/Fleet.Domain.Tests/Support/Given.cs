using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;

namespace Fleet.Domain.Tests.Support;

/// <summary>
/// Small builders for the domain tests. The domain never reads a clock, so every test passes explicit times
/// counted from <see cref="T0"/>.
/// </summary>
internal static class Given
{
    /// <summary>A fixed Monday morning, UTC.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 8, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static HygienePolicy Policy => HygienePolicy.Default;

    public static Headset NewHeadset(DateTimeOffset? at = null) =>
        Headset.Register("hs-1", "SN-0001", "VR-001", "quest-3", "ward-a", at ?? T0);

    /// <summary>A headset registered at T0 and cleaned validly from T0+1 min to <paramref name="cleanedAt"/> (default T0+3 min).</summary>
    public static Headset CleanHeadset(DateTimeOffset? cleanedAt = null)
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(1)).ShouldBeNull();
        h.ApplyCleaning(id, ProductClass.QuaternaryAmmonium, At(1), cleanedAt ?? At(3), valid: true, facialInterfaceReplaced: false);
        h.Hygiene.ShouldBe(HygieneState.Clean);
        return h;
    }

    /// <summary>Begins and completes a cleaning through the normal path (BeginCleaning then ApplyCleaning).</summary>
    public static Guid Clean(this Headset h, DateTimeOffset startedAt, DateTimeOffset completedAt, bool valid = true,
        ProductClass method = ProductClass.QuaternaryAmmonium, bool facialInterfaceReplaced = false)
    {
        var id = Guid.NewGuid();
        h.BeginCleaning(id, startedAt).ShouldBeNull();
        h.ApplyCleaning(id, method, startedAt, completedAt, valid, facialInterfaceReplaced);
        return id;
    }

    /// <summary>Applies a cleaning that was never begun in Fleet: one logged after the fact.</summary>
    public static void LogCleaning(this Headset h, DateTimeOffset startedAt, DateTimeOffset completedAt, bool valid = true,
        ProductClass method = ProductClass.QuaternaryAmmonium, bool facialInterfaceReplaced = false) =>
        h.ApplyCleaning(Guid.NewGuid(), method, startedAt, completedAt, valid, facialInterfaceReplaced);

    public static HeadsetModel Model(params ProductClass[] allowed) => new()
    {
        Id = "quest-3",
        Manufacturer = "Meta",
        Name = "Quest 3",
        BatteryRuntimeMinutes = 120,
        BatteryCycleRating = 500,
        ServiceLifeYears = 4,
        FacialInterfaceRating = 100,
        HousingCleaningRating = 2000,
        AllowedClasses = allowed.Length > 0
            ? [.. allowed]
            : [ProductClass.QuaternaryAmmonium, ProductClass.HydrogenPeroxide, ProductClass.HypochloriteSporicidal, ProductClass.UvcCabinet],
    };

    public static DisinfectantProduct Product(ProductClass cls, int contactSeconds = 60, bool active = true) => new()
    {
        Id = $"p-{cls}",
        Name = cls switch
        {
            ProductClass.QuaternaryAmmonium => "Quat wipe",
            ProductClass.Alcohol70 => "Alcohol wipe",
            ProductClass.HydrogenPeroxide => "Peroxide wipe",
            ProductClass.HypochloriteSporicidal => "Chlorine wipe",
            _ => "UV-C cabinet",
        },
        Class = cls,
        ContactSeconds = contactSeconds,
        Active = active,
    };
}
