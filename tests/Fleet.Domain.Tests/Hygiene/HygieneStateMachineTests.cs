using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Hygiene;

/// <summary>The hygiene state machine of product.md (rules 1-6) as implemented by <see cref="Headset"/>.</summary>
public class HygieneStateMachineTests
{
    // ---- Registration: Fleet never assumes clean ----

    [Fact]
    public void NewHeadsetStartsDirty()
    {
        var h = NewHeadset();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.EffectiveHygiene(Policy, At(1)).ShouldBe(HygieneState.Dirty);
        h.CleanedAt.ShouldBeNull();
    }

    [Fact]
    public void NewHeadsetNeedsCleaningFromRegistration()
    {
        var h = NewHeadset();

        h.NeedsCleaningSince(Policy, At(5)).ShouldBe(T0);
        h.LastSoiledAt.ShouldBe(T0);
    }

    [Fact]
    public void DirtyHeadsetIsDueForCleaningThirtyMinutesAfterItBecameDirty()
    {
        var h = NewHeadset();

        h.CleaningDueAt(Policy, At(5)).ShouldBe(At(30));
    }

    [Fact]
    public void CleaningDueTimeFollowsTheWardPolicy()
    {
        var h = NewHeadset();

        h.CleaningDueAt(Policy with { CleaningDue = TimeSpan.FromMinutes(10) }, At(5)).ShouldBe(At(10));
    }

    [Theory]
    [InlineData(HygieneState.Dirty, true)]
    [InlineData(HygieneState.Cleaning, true)]
    [InlineData(HygieneState.Expired, true)]
    [InlineData(HygieneState.Clean, false)]
    [InlineData(HygieneState.InUse, false)]
    public void OnlyDirtyCleaningAndExpiredNeedCleaning(HygieneState state, bool needsCleaning)
    {
        state.NeedsCleaning().ShouldBe(needsCleaning);
    }

    // ---- Dirty -> Cleaning ----

    [Fact]
    public void BeginningACleaningMovesADirtyHeadsetToCleaning()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();

        h.BeginCleaning(id, At(10)).ShouldBeNull();

        h.Hygiene.ShouldBe(HygieneState.Cleaning);
        h.ActiveCleaningId.ShouldBe(id);
        h.HygieneChangedAt.ShouldBe(At(10));
    }

    [Fact]
    public void BeginningACleaningDoesNotRestartTheDueClock()
    {
        var h = NewHeadset();

        h.BeginCleaning(Guid.NewGuid(), At(10));

        h.NeedsCleaningSince(Policy, At(11)).ShouldBe(T0);
        h.CleaningDueAt(Policy, At(11)).ShouldBe(At(30));
    }

    [Fact]
    public void BeginningACleaningIsRefusedWhileInUse()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        var refusal = h.BeginCleaning(Guid.NewGuid(), At(20));

        refusal.ShouldNotBeNull().Code.ShouldBe("in_use");
        h.Hygiene.ShouldBe(HygieneState.InUse);
        h.ActiveCleaningId.ShouldBeNull();
    }

    [Fact]
    public void BeginningACleaningIsRefusedWhenRetired()
    {
        var h = NewHeadset();
        h.Retire(At(1), "cracked housing").ShouldBeNull();

        var refusal = h.BeginCleaning(Guid.NewGuid(), At(2));

        refusal.ShouldNotBeNull().Code.ShouldBe("retired");
        h.Hygiene.ShouldBe(HygieneState.Dirty);
    }

    [Fact]
    public void ReCleaningACleanHeadsetTakesItOutOfServiceFromThatMoment()
    {
        var h = CleanHeadset();

        h.BeginCleaning(Guid.NewGuid(), At(60));

        h.EffectiveHygiene(Policy, At(61)).ShouldBe(HygieneState.Cleaning);
        h.NeedsCleaningSince(Policy, At(61)).ShouldBe(At(60));
    }

    [Fact]
    public void BeginningASecondCleaningSupersedesTheFirst()
    {
        var h = NewHeadset();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        h.BeginCleaning(first, At(5));

        h.BeginCleaning(second, At(8)).ShouldBeNull();

        h.ActiveCleaningId.ShouldBe(second);
        h.Hygiene.ShouldBe(HygieneState.Cleaning);
        h.NeedsCleaningSince(Policy, At(9)).ShouldBe(T0);
    }

    [Fact]
    public void AnInvalidVerdictOnASupersededCleaningDoesNotInterruptTheCurrentOne()
    {
        var h = NewHeadset();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        h.BeginCleaning(first, At(5));
        h.BeginCleaning(second, At(8));

        h.ApplyCleaning(first, ProductClass.QuaternaryAmmonium, At(5), At(9), valid: false, facialInterfaceReplaced: false);

        h.Hygiene.ShouldBe(HygieneState.Cleaning);
        h.ActiveCleaningId.ShouldBe(second);
    }

    // ---- Cleaning -> Clean / Dirty (rule 2) ----

    [Fact]
    public void AValidCleaningMakesTheHeadsetClean()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.ApplyCleaning(id, ProductClass.QuaternaryAmmonium, At(5), At(7), valid: true, facialInterfaceReplaced: false);

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.CleanedAt.ShouldBe(At(7));
        h.HygieneChangedAt.ShouldBe(At(7));
        h.ActiveCleaningId.ShouldBeNull();
        h.NeedsCleaningSince(Policy, At(8)).ShouldBeNull();
        h.CleaningDueAt(Policy, At(8)).ShouldBeNull();
    }

    [Fact]
    public void InvalidCleaningLeavesItDirty()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.ApplyCleaning(id, ProductClass.QuaternaryAmmonium, At(5), At(7), valid: false, facialInterfaceReplaced: false);

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.CleanedAt.ShouldBeNull();
        h.ActiveCleaningId.ShouldBeNull();
    }

    [Fact]
    public void InvalidCleaningDoesNotRestartTheDueClock()
    {
        var h = NewHeadset();

        h.Clean(At(5), At(7), valid: false);

        h.NeedsCleaningSince(Policy, At(8)).ShouldBe(T0);
        h.CleaningDueAt(Policy, At(8)).ShouldBe(At(30));
    }

    [Fact]
    public void InvalidReCleaningOfACleanHeadsetLeavesItDirtyFromWhenTheCleaningBegan()
    {
        var h = CleanHeadset();

        h.Clean(At(60), At(62), valid: false);

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.NeedsCleaningSince(Policy, At(63)).ShouldBe(At(60));
    }

    [Fact]
    public void AValidCleaningAfterContactPrecautionsClearsTheSporicidalRequirement()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));
        h.EndSession(At(40), contactPrecautions: true, wearSeconds: 1800);

        h.Clean(At(45), At(50), method: ProductClass.HypochloriteSporicidal);

        h.SporicidalRequired.ShouldBeFalse();
    }

    [Fact]
    public void AnInvalidCleaningKeepsTheSporicidalRequirement()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));
        h.EndSession(At(40), contactPrecautions: true, wearSeconds: 1800);

        h.Clean(At(45), At(50), valid: false);

        h.SporicidalRequired.ShouldBeTrue();
    }

    [Fact]
    public void AbandoningTheActiveCleaningLeavesTheHeadsetDirty()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.AbandonCleaning(id, At(6));

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.ActiveCleaningId.ShouldBeNull();
        h.NeedsCleaningSince(Policy, At(7)).ShouldBe(T0);
    }

    [Fact]
    public void AbandoningACleaningThatIsNotTheActiveOneChangesNothing()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.AbandonCleaning(Guid.NewGuid(), At(6));

        h.Hygiene.ShouldBe(HygieneState.Cleaning);
        h.ActiveCleaningId.ShouldBe(id);
    }

    // ---- Late-logged cleanings (rule 5) ----

    [Fact]
    public void ALoggedValidCleaningThatStartedAfterTheLastSoilingMakesItClean()
    {
        var h = NewHeadset();

        h.LogCleaning(At(5), At(7));

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.CleanedAt.ShouldBe(At(7));
    }

    [Fact]
    public void ALateLoggedCleaningThatStartedBeforeTheLastSoilingDoesNotMakeItClean()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));
        h.EndSession(At(40), contactPrecautions: false, wearSeconds: 1800);

        // Logged afterwards, for a wipe that started a minute before the session ended.
        h.LogCleaning(At(39), At(45));

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.CleanedAt.ShouldBe(At(3));
        h.NeedsCleaningSince(Policy, At(60)).ShouldBe(At(40));
    }

    [Theory]
    [InlineData(0, true)] // started exactly when it was soiled
    [InlineData(-1, false)] // one second before
    [InlineData(1, true)]
    public void ACleaningCountsOnlyIfItStartedAtOrAfterTheLastSoiling(int startOffsetSeconds, bool clean)
    {
        var h = NewHeadset();
        h.MarkDirty(At(10));
        var started = At(10).AddSeconds(startOffsetSeconds);

        h.CleaningCoversCurrentState(started, At(15)).ShouldBe(clean);
        h.LogCleaning(started, At(15));

        h.Hygiene.ShouldBe(clean ? HygieneState.Clean : HygieneState.Dirty);
    }

    [Fact]
    public void ALateLoggedCleaningOlderThanTheCurrentCleanDoesNotMoveTheHangTimeBack()
    {
        var h = NewHeadset();
        h.Clean(At(10), At(12));

        h.LogCleaning(At(5), At(8));

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.CleanedAt.ShouldBe(At(12));
        h.CleanExpiresAt(Policy).ShouldBe(At(12) + TimeSpan.FromHours(24));
    }

    [Fact]
    public void ALoggedCleaningCompletingAtTheSameMomentAsTheCurrentCleanDoesNotReplaceIt()
    {
        var h = NewHeadset();
        h.Clean(At(10), At(12));

        h.CleaningCoversCurrentState(At(11), At(12)).ShouldBeFalse();
    }

    [Fact]
    public void ANewerValidCleaningOfACleanHeadsetRestartsTheHangTime()
    {
        var h = CleanHeadset();

        h.LogCleaning(At(60), At(62));

        h.CleanedAt.ShouldBe(At(62));
        h.EffectiveHygiene(Policy, At(3) + TimeSpan.FromHours(24)).ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void AnInvalidLoggedCleaningDoesNotDirtyACleanHeadset()
    {
        var h = CleanHeadset();

        h.LogCleaning(At(60), At(62), valid: false);

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.CleanedAt.ShouldBe(At(3));
    }

    [Fact]
    public void ACleaningLoggedWhileTheHeadsetIsInUseDoesNotChangeItsState()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.LogCleaning(At(20), At(25));

        h.Hygiene.ShouldBe(HygieneState.InUse);
        h.CleanedAt.ShouldBe(At(3));
    }

    [Fact]
    public void ALateLoggedCleaningIsPlacedAtItsRealTimeSoItsHangTimeMayAlreadyHavePassed()
    {
        var h = NewHeadset();

        // Looked at 30 h after it completed: the clean counts from its real completion time, so it has already expired.
        h.LogCleaning(At(5), At(10));

        h.EffectiveHygiene(Policy, At(10) + TimeSpan.FromHours(30)).ShouldBe(HygieneState.Expired);
        h.NeedsCleaningSince(Policy, At(10) + TimeSpan.FromHours(30)).ShouldBe(At(10) + TimeSpan.FromHours(24));
    }

    // ---- Clean -> InUse -> Dirty (rule 1) ----

    [Fact]
    public void StartingASessionPutsTheHeadsetInUse()
    {
        var h = CleanHeadset();

        h.StartSession(At(10));

        h.Hygiene.ShouldBe(HygieneState.InUse);
        h.HygieneChangedAt.ShouldBe(At(10));
        h.NeedsCleaningSince(Policy, At(11)).ShouldBeNull();
    }

    [Fact]
    public void AHeadsetInUseDoesNotExpire()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.EffectiveHygiene(Policy, At(10) + TimeSpan.FromHours(30)).ShouldBe(HygieneState.InUse);
        h.Expire(Policy, At(10) + TimeSpan.FromHours(30)).ShouldBeFalse();
    }

    [Fact]
    public void EndingASessionMakesTheHeadsetDirtyFromThatMoment()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.EndSession(At(40), contactPrecautions: false, wearSeconds: 1700);

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.LastSoiledAt.ShouldBe(At(40));
        h.NeedsCleaningSince(Policy, At(41)).ShouldBe(At(40));
        h.CleaningDueAt(Policy, At(41)).ShouldBe(At(70));
    }

    [Fact]
    public void EndingASessionWithContactPrecautionsRequiresASporicidalCleaning()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.EndSession(At(40), contactPrecautions: true, wearSeconds: 1700);

        h.SporicidalRequired.ShouldBeTrue();
    }

    [Fact]
    public void EndingASessionWithoutContactPrecautionsDoesNotRequireASporicidalCleaning()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.EndSession(At(40), contactPrecautions: false, wearSeconds: 1700);

        h.SporicidalRequired.ShouldBeFalse();
    }

    [Fact]
    public void EndingASessionCountsTheSessionAndItsWearTime()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));
        h.EndSession(At(40), contactPrecautions: false, wearSeconds: 1700);
        h.Clean(At(45), At(47));
        h.StartSession(At(50));

        h.EndSession(At(70), contactPrecautions: false, wearSeconds: 1100);

        h.Counters.Sessions.ShouldBe(2);
        h.Counters.WearSeconds.ShouldBe(2800);
    }

    [Fact]
    public void ANegativeWearTimeIsNotSubtractedFromTheCounter()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.EndSession(At(40), contactPrecautions: false, wearSeconds: -500);

        h.Counters.WearSeconds.ShouldBe(0);
        h.Counters.Sessions.ShouldBe(1);
    }

    // ---- Marked dirty (rule 1) ----

    [Fact]
    public void MarkingACleanHeadsetDirtyMakesItDirtyFromThatMoment()
    {
        var h = CleanHeadset();

        h.MarkDirty(At(20)).ShouldBeNull();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.LastSoiledAt.ShouldBe(At(20));
        h.NeedsCleaningSince(Policy, At(21)).ShouldBe(At(20));
    }

    [Fact]
    public void MarkingDirtyIsRefusedWhileInUse()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        var refusal = h.MarkDirty(At(20));

        refusal.ShouldNotBeNull().Code.ShouldBe("in_use");
        h.Hygiene.ShouldBe(HygieneState.InUse);
    }

    [Fact]
    public void MarkingADirtyHeadsetDirtyAgainKeepsTheOriginalDueTime()
    {
        var h = NewHeadset();

        h.MarkDirty(At(20)).ShouldBeNull();

        h.NeedsCleaningSince(Policy, At(21)).ShouldBe(T0);
        h.LastSoiledAt.ShouldBe(At(20));
    }

    [Fact]
    public void MarkingDirtyDuringACleaningCancelsThatCleaning()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.MarkDirty(At(6)).ShouldBeNull();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.ActiveCleaningId.ShouldBeNull();
        h.NeedsCleaningSince(Policy, At(7)).ShouldBe(T0);
    }

    [Fact]
    public void ACleaningInterruptedByMarkingDirtyDoesNotMakeItCleanWhenItCompletes()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));
        h.MarkDirty(At(6));

        h.ApplyCleaning(id, ProductClass.QuaternaryAmmonium, At(5), At(8), valid: true, facialInterfaceReplaced: false);

        h.Hygiene.ShouldBe(HygieneState.Dirty);
    }

    // ---- Worn outside a session (rule 1) ----

    [Fact]
    public void BeingWornWhileCleanMakesItDirty()
    {
        var h = CleanHeadset();

        h.ReportWorn(At(20)).ShouldBeTrue();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.LastSoiledAt.ShouldBe(At(20));
        h.NeedsCleaningSince(Policy, At(21)).ShouldBe(At(20));
    }

    [Fact]
    public void BeingWornDuringASessionIsIgnored()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        h.ReportWorn(At(20)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.InUse);
        h.LastSoiledAt.ShouldBe(T0);
    }

    [Fact]
    public void WornDuringACleaningIsIgnored()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));

        h.ReportWorn(At(6)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.Cleaning);
        h.ActiveCleaningId.ShouldBe(id);
        h.LastSoiledAt.ShouldBe(T0);
    }

    [Fact]
    public void ACleaningDuringWhichTheSensorTrippedStillMakesItClean()
    {
        var h = NewHeadset();
        var id = Guid.NewGuid();
        h.BeginCleaning(id, At(5));
        h.ReportWorn(At(6));

        h.ApplyCleaning(id, ProductClass.QuaternaryAmmonium, At(5), At(8), valid: true, facialInterfaceReplaced: false);

        h.Hygiene.ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void WornBeforeTheMostRecentCleaningIsIgnored()
    {
        var h = NewHeadset();
        h.Clean(At(10), At(12));

        // A late report of wearing that happened before (or during) the cleaning.
        h.ReportWorn(At(11)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.LastSoiledAt.ShouldBe(T0);
    }

    [Theory]
    [InlineData(0, false)] // exactly at completion
    [InlineData(1, true)] // one second later
    public void WornIsIgnoredUpToTheMomentTheCleaningCompleted(int secondsAfterCompletion, bool dirty)
    {
        var h = NewHeadset();
        h.Clean(At(10), At(12));

        h.ReportWorn(At(12).AddSeconds(secondsAfterCompletion)).ShouldBe(dirty);

        h.Hygiene.ShouldBe(dirty ? HygieneState.Dirty : HygieneState.Clean);
    }

    [Fact]
    public void WornWhileAlreadyDirtyReportsNoChangeAndKeepsTheDueTime()
    {
        var h = NewHeadset();

        h.ReportWorn(At(20)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.NeedsCleaningSince(Policy, At(21)).ShouldBe(T0);
    }

    [Fact]
    public void WornWhileDirtyMeansACleaningThatStartedBeforeThatNoLongerCounts()
    {
        var h = NewHeadset();
        h.ReportWorn(At(20));

        // A wipe logged afterwards that started before someone put it on.
        h.LogCleaning(At(15), At(25));

        h.LastSoiledAt.ShouldBe(At(20));
        h.Hygiene.ShouldBe(HygieneState.Dirty);
    }

    // ---- Hang time and expiry (rule 4) ----

    [Theory]
    [InlineData(-1, HygieneState.Clean)] // one second before the hang time passes
    [InlineData(0, HygieneState.Expired)] // exactly 24 h after the cleaning completed
    [InlineData(1, HygieneState.Expired)]
    public void CleanStatusExpiresWhenTheHangTimeHasPassed(int secondsFromExpiry, HygieneState expected)
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var now = At(3) + TimeSpan.FromHours(24) + TimeSpan.FromSeconds(secondsFromExpiry);

        h.EffectiveHygiene(Policy, now).ShouldBe(expected);
    }

    [Fact]
    public void EffectiveHygieneDoesNotChangeTheStoredState()
    {
        var h = CleanHeadset();

        h.EffectiveHygiene(Policy, At(3) + TimeSpan.FromHours(30)).ShouldBe(HygieneState.Expired);

        h.Hygiene.ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void ExpiredIsTreatedAsNeedingCleaningFromTheMomentOfExpiry()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);

        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(2)).ShouldBe(expiry);
        h.CleaningDueAt(Policy, expiry + TimeSpan.FromHours(2)).ShouldBe(expiry + TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void HangTimePolicyChangeAffectsEffectiveHygieneImmediately()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var now = At(3) + TimeSpan.FromHours(5);
        var shorter = Policy with { HangTime = TimeSpan.FromHours(4) };

        h.EffectiveHygiene(Policy, now).ShouldBe(HygieneState.Clean);
        h.EffectiveHygiene(shorter, now).ShouldBe(HygieneState.Expired);
        h.NeedsCleaningSince(shorter, now).ShouldBe(At(3) + TimeSpan.FromHours(4));
    }

    [Fact]
    public void ALongerHangTimeKeepsACleanHeadsetClean()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var now = At(3) + TimeSpan.FromHours(30);

        h.EffectiveHygiene(Policy with { HangTime = TimeSpan.FromHours(48) }, now).ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void ExpireRecordsTheExpiryAtTheEndOfTheHangTimeNotWhenTheJobRan()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);

        h.Expire(Policy, expiry + TimeSpan.FromHours(3)).ShouldBeTrue();

        h.Hygiene.ShouldBe(HygieneState.Expired);
        h.HygieneChangedAt.ShouldBe(expiry);
        h.DirtySince.ShouldBe(expiry);
        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(3)).ShouldBe(expiry);
    }

    [Fact]
    public void ExpireDoesNothingBeforeTheHangTimeHasPassed()
    {
        var h = CleanHeadset(cleanedAt: At(3));

        h.Expire(Policy, At(3) + TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.Clean);
    }

    [Fact]
    public void ExpireDoesNothingToADirtyHeadset()
    {
        var h = NewHeadset();

        h.Expire(Policy, At(3) + TimeSpan.FromHours(48)).ShouldBeFalse();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
    }

    [Fact]
    public void ExpireIsRecordedOnlyOnce()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        h.Expire(Policy, At(3) + TimeSpan.FromHours(25));

        h.Expire(Policy, At(3) + TimeSpan.FromHours(26)).ShouldBeFalse();
        h.HygieneChangedAt.ShouldBe(At(3) + TimeSpan.FromHours(24));
    }

    [Fact]
    public void MarkingAnExpiredHeadsetDirtyKeepsTheDueTimeFromExpiry()
    {
        // Expired is already "needs cleaning": soiling it again must not restart the due clock.
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);
        h.Expire(Policy, expiry + TimeSpan.FromHours(1));

        h.MarkDirty(expiry + TimeSpan.FromHours(2)).ShouldBeNull();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(3)).ShouldBe(expiry);
    }

    [Fact]
    public void WornAfterExpiryMakesItDirtyButKeepsTheDueTimeFromExpiry()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);
        h.Expire(Policy, expiry + TimeSpan.FromHours(1));

        h.ReportWorn(expiry + TimeSpan.FromHours(2)).ShouldBeTrue();

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.LastSoiledAt.ShouldBe(expiry + TimeSpan.FromHours(2));
        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(3)).ShouldBe(expiry);
    }

    [Fact]
    public void CleaningAnExpiredHeadsetKeepsTheDueTimeFromExpiryWhileItRuns()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);
        h.Expire(Policy, expiry + TimeSpan.FromHours(1));

        h.BeginCleaning(Guid.NewGuid(), expiry + TimeSpan.FromHours(2));

        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(2)).ShouldBe(expiry);
    }

    [Fact]
    public void AValidCleaningOfAnExpiredHeadsetMakesItCleanWithAFreshHangTime()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);
        h.Expire(Policy, expiry + TimeSpan.FromHours(1));

        h.Clean(expiry + TimeSpan.FromHours(2), expiry + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(2));

        h.Hygiene.ShouldBe(HygieneState.Clean);
        h.CleanExpiresAt(Policy).ShouldBe(expiry + TimeSpan.FromHours(26) + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void AnInvalidCleaningOfAnExpiredHeadsetLeavesItDirtyAndStillDueFromExpiry()
    {
        var h = CleanHeadset(cleanedAt: At(3));
        var expiry = At(3) + TimeSpan.FromHours(24);
        h.Expire(Policy, expiry + TimeSpan.FromHours(1));

        h.Clean(expiry + TimeSpan.FromHours(2), expiry + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(2), valid: false);

        h.Hygiene.ShouldBe(HygieneState.Dirty);
        h.NeedsCleaningSince(Policy, expiry + TimeSpan.FromHours(3)).ShouldBe(expiry);
    }

    // ---- Retirement ----

    [Fact]
    public void RetiringRecordsWhenAndWhy()
    {
        var h = NewHeadset();

        h.Retire(At(10), "housing cracked").ShouldBeNull();

        h.Retired.ShouldBeTrue();
        h.RetiredAt.ShouldBe(At(10));
        h.RetiredNote.ShouldBe("housing cracked");
    }

    [Fact]
    public void RetiringAnInUseHeadsetIsRefused()
    {
        var h = CleanHeadset();
        h.StartSession(At(10));

        var refusal = h.Retire(At(20), "end of life");

        refusal.ShouldNotBeNull().Code.ShouldBe("in_use");
        h.Retired.ShouldBeFalse();
        h.RetiredAt.ShouldBeNull();
    }

    [Fact]
    public void RetiringTwiceIsRefusedAndKeepsTheFirstRetirement()
    {
        var h = NewHeadset();
        h.Retire(At(10), "first");

        var refusal = h.Retire(At(20), "second");

        refusal.ShouldNotBeNull().Code.ShouldBe("conflict");
        h.RetiredAt.ShouldBe(At(10));
        h.RetiredNote.ShouldBe("first");
    }

    [Fact]
    public void ACleanHeadsetMayBeRetired()
    {
        var h = CleanHeadset();

        h.Retire(At(10), "recall").ShouldBeNull();

        h.Retired.ShouldBeTrue();
    }
}
