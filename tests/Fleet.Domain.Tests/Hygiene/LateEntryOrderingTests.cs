using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Tests.Support;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Hygiene;

/// <summary>Late entries arrive out of order; the counters and the state must come out as if they had arrived in time.</summary>
public sealed class LateEntryOrderingTests
{
    [Fact]
    public void AnOlderReplacementLoggedLateDoesNotResetTheNewerInterfacesCount()
    {
        var h = NewHeadset();
        h.Clean(At(100), At(103), facialInterfaceReplaced: true);
        h.Clean(At(200), At(203));
        h.Counters.FacialInterfaceCleanings.ShouldBe(1);

        h.LogCleaning(At(50), At(53), facialInterfaceReplaced: true);

        h.Counters.FacialInterfaceCleanings.ShouldBe(1);
        h.FacialInterfaceReplacedAt.ShouldBe(At(103));
        h.Counters.Cleanings.ShouldBe(3);
    }

    [Fact]
    public void AWipeLoggedLateFromBeforeTheReplacementDoesNotWearTheNewInterface()
    {
        var h = NewHeadset();
        h.Clean(At(100), At(103), facialInterfaceReplaced: true);
        h.LogCleaning(At(10), At(13));
        h.Counters.FacialInterfaceCleanings.ShouldBe(0);
        h.Counters.Cleanings.ShouldBe(2);
    }

    [Fact]
    public void AValidLoggedCleaningSupersedesOneStillInProgress()
    {
        var h = NewHeadset();
        var running = Guid.NewGuid();
        h.BeginCleaning(running, At(10)).ShouldBeNull();
        h.LogCleaning(At(5), At(8));
        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.ActiveCleaningId.ShouldBeNull();
    }

    [Fact]
    public void MarkingAnUnrecordedExpiredHeadsetDirtyKeepsTheDueClockFromTheExpiryWhenExpiryIsRecordedFirst()
    {
        var h = CleanHeadset(At(3));
        var expiry = At(3) + Policy.HangTime;
        var later = expiry.AddHours(6);
        h.Expire(Policy, later).ShouldBeTrue();
        h.MarkDirty(later).ShouldBeNull();
        h.DirtySince.ShouldBe(expiry);
        h.CleaningDueAt(Policy, later).ShouldBe(expiry + Policy.CleaningDue);
    }
}

public sealed class CorrectionTests
{
    [Fact]
    public void ACorrectionThatInvalidatesTheCurrentCleanMakesItDirtyAgainFromNow()
    {
        var h = CleanHeadset(At(3));
        h.RevokeCleaning(At(3), sporicidalWasRequired: true, At(30)).ShouldBeTrue();
        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.DirtySince.ShouldBe(At(30));
        h.SporicidalRequired.ShouldBeTrue();
    }

    [Fact]
    public void ACorrectionOfAnOlderCleaningChangesNothing()
    {
        var h = CleanHeadset(At(3));
        h.Clean(At(10), At(13));
        h.RevokeCleaning(At(3), false, At(30)).ShouldBeFalse();
        h.Hygiene.ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void ACorrectionAfterTheHeadsetWasHandedOutChangesNothingUntilTheSessionEnds()
    {
        var h = CleanHeadset(At(3));
        h.StartSession(At(5));
        h.RevokeCleaning(At(3), false, At(30)).ShouldBeFalse();
        h.Hygiene.ShouldBe(HygieneState.InUse);
    }
}
