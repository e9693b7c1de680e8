using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Hygiene;

/// <summary>Every cleaning is also a lifetime event (product.md, "Why it exists" and "Device health and lifetime").</summary>
public class HeadsetCountersTests
{
    [Fact]
    public void NewHeadsetHasNoCleaningsCounted()
    {
        var h = NewHeadset();

        h.Counters.Cleanings.ShouldBe(0);
        h.Counters.FacialInterfaceCleanings.ShouldBe(0);
        h.Counters.ByMethod().Values.ShouldAllBe(n => n == 0);
    }

    [Fact]
    public void ValidAndInvalidCleaningsAreBothCounted()
    {
        var h = NewHeadset();

        h.Clean(At(5), At(7), valid: false);
        h.Clean(At(8), At(10), valid: true);

        h.Counters.Cleanings.ShouldBe(2);
        h.Counters.CleaningsQuaternaryAmmonium.ShouldBe(2);
        h.Counters.FacialInterfaceCleanings.ShouldBe(2);
    }

    [Fact]
    public void CleaningsThatDoNotChangeTheStateStillWearTheHardware()
    {
        var h = CleanHeadset(); // one cleaning
        h.StartSession(At(10));

        h.LogCleaning(At(20), At(25)); // while in use: no state change

        h.Hygiene.ShouldBe(HygieneState.InUse);
        h.Counters.Cleanings.ShouldBe(2);
    }

    [Fact]
    public void AnAbandonedCleaningIsNotCounted()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.AbandonCleaning(id, At(6));

        h.Counters.Cleanings.ShouldBe(0);
    }

    [Theory]
    [InlineData(ProductClass.QuaternaryAmmonium)]
    [InlineData(ProductClass.Alcohol70)]
    [InlineData(ProductClass.HydrogenPeroxide)]
    [InlineData(ProductClass.HypochloriteSporicidal)]
    [InlineData(ProductClass.UvcCabinet)]
    public void CleaningsAreCountedByMethod(ProductClass method)
    {
        var h = NewHeadset();

        h.Clean(At(5), At(7), method: method);

        var byMethod = h.Counters.ByMethod();
        byMethod[method].ShouldBe(1);
        byMethod.Where(kv => kv.Key != method).ShouldAllBe(kv => kv.Value == 0);
        byMethod.Values.Sum().ShouldBe(h.Counters.Cleanings);
    }

    [Fact]
    public void ByMethodListsEveryProductClass()
    {
        NewHeadset().Counters.ByMethod().Keys.ShouldBe(Enum.GetValues<ProductClass>(), ignoreOrder: true);
    }

    [Theory]
    [InlineData(ProductClass.QuaternaryAmmonium)]
    [InlineData(ProductClass.Alcohol70)]
    [InlineData(ProductClass.HydrogenPeroxide)]
    [InlineData(ProductClass.HypochloriteSporicidal)]
    public void EveryWipeWearsTheFacialInterface(ProductClass wipe)
    {
        var h = NewHeadset();

        h.Clean(At(5), At(7), method: wipe);

        h.Counters.FacialInterfaceCleanings.ShouldBe(1);
    }

    [Fact]
    public void UvCDoesNotWearTheFacialInterface()
    {
        var h = NewHeadset();

        h.Clean(At(5), At(15), method: ProductClass.UvcCabinet);

        h.Counters.FacialInterfaceCleanings.ShouldBe(0);
        h.Counters.Cleanings.ShouldBe(1);
        h.Counters.CleaningsUvc.ShouldBe(1);
    }

    [Fact]
    public void ReplacingTheFacialInterfaceResetsItsCount()
    {
        var h = NewHeadset();
        h.Clean(At(5), At(7));
        h.Clean(At(8), At(10));

        h.Clean(At(11), At(13), facialInterfaceReplaced: true);

        h.Counters.FacialInterfaceCleanings.ShouldBe(0);
        h.Counters.FacialInterfaceReplacements.ShouldBe(1);
        h.FacialInterfaceReplacedAt.ShouldBe(At(13));
    }

    [Fact]
    public void TheNewFacialInterfaceCountsFromTheNextWipe()
    {
        var h = NewHeadset();
        h.Clean(At(5), At(7));
        h.Clean(At(8), At(10), facialInterfaceReplaced: true);

        h.Clean(At(11), At(13));

        h.Counters.FacialInterfaceCleanings.ShouldBe(1);
    }

    [Fact]
    public void ReplacingTheFacialInterfaceDoesNotResetTheTotalCleanings()
    {
        var h = NewHeadset();
        h.Clean(At(5), At(7));

        h.Clean(At(8), At(10), facialInterfaceReplaced: true);

        h.Counters.Cleanings.ShouldBe(2);
    }

    [Fact]
    public void AReplacementDuringAnInvalidCleaningStillCounts()
    {
        var h = NewHeadset();
        h.Clean(At(5), At(7));

        h.Clean(At(8), At(10), valid: false, facialInterfaceReplaced: true);

        h.Counters.FacialInterfaceCleanings.ShouldBe(0);
        h.Counters.FacialInterfaceReplacements.ShouldBe(1);
    }
}
