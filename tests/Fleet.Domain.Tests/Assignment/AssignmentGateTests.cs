using Fleet.Domain.Assignment;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Assignment;

/// <summary>The assignment gate table of product.md. Codes are compared with the literal strings of api.md.</summary>
public class AssignmentGateTests
{
    /// <summary>A headset that passes every check: clean, charged (100 % of 120 min), fresh interface, agent heard a minute ago.</summary>
    private static GateInput Ready() => new()
    {
        Hygiene = HygieneState.Clean,
        InOpenSession = false,
        OpenFlags = [],
        Retired = false,
        BatteryPercent = 100,
        ModelRuntimeMinutes = 120,
        FacialInterfaceCleanings = 0,
        FacialInterfaceRating = 100,
        LastSeenAt = At(-1),
        SessionMinutes = 30,
        Policy = Policy,
        Now = At(0),
    };

    private static string[] ReasonCodes(GateInput input) => [.. AssignmentGate.Evaluate(input).Reasons.Select(r => r.Code)];

    private static string[] WarningCodes(GateInput input) => [.. AssignmentGate.Evaluate(input).Warnings.Select(r => r.Code)];

    [Fact]
    public void ACleanChargedIdleHeadsetIsReady()
    {
        var result = AssignmentGate.Evaluate(Ready());

        result.Ready.ShouldBeTrue();
        result.Reasons.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
    }

    // ---- not_clean / in_use ----

    [Theory]
    [InlineData(HygieneState.Dirty)]
    [InlineData(HygieneState.Cleaning)]
    [InlineData(HygieneState.Expired)]
    public void AssignmentIsRefusedWhenHeadsetIsNotClean(HygieneState state)
    {
        var result = AssignmentGate.Evaluate(Ready() with { Hygiene = state });

        result.Ready.ShouldBeFalse();
        result.Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);
    }

    [Fact]
    public void TheNotCleanMessageSaysWhyForEachState()
    {
        var dirty = AssignmentGate.Evaluate(Ready() with { Hygiene = HygieneState.Dirty }).Reasons.Single().Message;
        var cleaning = AssignmentGate.Evaluate(Ready() with { Hygiene = HygieneState.Cleaning }).Reasons.Single().Message;
        var expired = AssignmentGate.Evaluate(Ready() with { Hygiene = HygieneState.Expired }).Reasons.Single().Message;

        new[] { dirty, cleaning, expired }.Distinct().Count().ShouldBe(3);
        expired.ShouldContain("24 h");
    }

    [Fact]
    public void AssignmentIsRefusedWhenHeadsetIsInUse()
    {
        ReasonCodes(Ready() with { Hygiene = HygieneState.InUse }).ShouldBe(["in_use"]);
    }

    [Fact]
    public void AssignmentIsRefusedWhenAnOpenSessionExistsEvenIfTheStateSaysClean()
    {
        ReasonCodes(Ready() with { InOpenSession = true }).ShouldBe(["in_use"]);
    }

    // ---- holds ----

    [Theory]
    [InlineData(FlagKind.MotionSickness, "motion_sickness_flag")]
    [InlineData(FlagKind.Damage, "damage_flag")]
    [InlineData(FlagKind.Maintenance, "maintenance")]
    [InlineData(FlagKind.Recall, "recall")]
    public void AssignmentIsRefusedWhileAHoldIsOpen(FlagKind kind, string code)
    {
        ReasonCodes(Ready() with { OpenFlags = [kind] }).ShouldBe([code]);
    }

    [Fact]
    public void TwoOpenHoldsOfTheSameKindAreReportedOnce()
    {
        ReasonCodes(Ready() with { OpenFlags = [FlagKind.Damage, FlagKind.Damage] }).ShouldBe(["damage_flag"]);
    }

    [Fact]
    public void EveryKindOfOpenHoldIsReported()
    {
        ReasonCodes(Ready() with { OpenFlags = [FlagKind.Recall, FlagKind.MotionSickness, FlagKind.Maintenance, FlagKind.Damage] })
            .ShouldBe(["motion_sickness_flag", "damage_flag", "maintenance", "recall"], ignoreOrder: true);
    }

    [Fact]
    public void AssignmentIsRefusedWhenHeadsetIsRetired()
    {
        ReasonCodes(Ready() with { Retired = true }).ShouldBe(["retired"]);
    }

    // ---- battery_insufficient / battery_unknown ----

    [Theory]
    [InlineData(38, true)] // 45.6 min predicted
    [InlineData(37, false)] // 44.4 min predicted, 45 needed
    [InlineData(100, true)]
    [InlineData(0, false)]
    public void BatteryMustCoverTheSessionPlusFifteenMinutes(int percent, bool enough)
    {
        // 120 min runtime, 30 min session + 15 min margin = 45 min needed.
        var codes = ReasonCodes(Ready() with { BatteryPercent = percent, ModelRuntimeMinutes = 120, SessionMinutes = 30 });

        if (enough) codes.ShouldBeEmpty();
        else codes.ShouldBe(["battery_insufficient"]);
    }

    [Theory]
    [InlineData(45, 100, 30)] // 45 min predicted for 30 + 15
    [InlineData(29, 100, 14)] // 29 min predicted for 14 + 15
    [InlineData(57, 100, 42)] // 57 min predicted for 42 + 15
    [InlineData(70, 90, 48)] // 63 min predicted for 48 + 15
    [InlineData(35, 180, 48)] // 63 min predicted for 48 + 15
    public void BatteryExactlyCoveringTheSessionAndTheMarginIsEnough(int percent, int runtimeMinutes, int sessionMinutes)
    {
        var result = AssignmentGate.Evaluate(Ready() with
        {
            BatteryPercent = percent, ModelRuntimeMinutes = runtimeMinutes, SessionMinutes = sessionMinutes,
        });

        result.Reasons.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(44, 100, 30)]
    [InlineData(28, 100, 14)]
    public void BatteryOneMinuteShortOfSessionAndMarginIsInsufficient(int percent, int runtimeMinutes, int sessionMinutes)
    {
        ReasonCodes(Ready() with { BatteryPercent = percent, ModelRuntimeMinutes = runtimeMinutes, SessionMinutes = sessionMinutes })
            .ShouldBe(["battery_insufficient"]);
    }

    [Fact]
    public void TheBatteryMarginFollowsTheWardPolicy()
    {
        // 40 % of 100 min = 40 min: enough for 30 + 10, not for 30 + 15.
        var input = Ready() with { BatteryPercent = 40, ModelRuntimeMinutes = 100, SessionMinutes = 30 };

        ReasonCodes(input).ShouldBe(["battery_insufficient"]);
        ReasonCodes(input with { Policy = Policy with { BatteryMargin = TimeSpan.FromMinutes(10) } }).ShouldBeEmpty();
    }

    [Fact]
    public void ALongerSessionNeedsMoreBattery()
    {
        var input = Ready() with { BatteryPercent = 50, ModelRuntimeMinutes = 120 }; // 60 min

        ReasonCodes(input with { SessionMinutes = 45 }).ShouldBeEmpty();
        ReasonCodes(input with { SessionMinutes = 46 }).ShouldBe(["battery_insufficient"]);
    }

    [Fact]
    public void TheBatteryMessageGivesThePredictionAndWhatIsNeeded()
    {
        var reason = AssignmentGate.Evaluate(Ready() with { BatteryPercent = 20, ModelRuntimeMinutes = 120, SessionMinutes = 30 }).Reasons.Single();

        reason.Message.ShouldBe("Its battery (20 %) lasts about 24 min, less than the 30 min session plus a 15 min margin.");
    }

    [Fact]
    public void UnknownBatteryIsAWarningNotABlock()
    {
        var result = AssignmentGate.Evaluate(Ready() with { BatteryPercent = null });

        result.Ready.ShouldBeTrue();
        result.Warnings.Select(w => w.Code).ShouldBe(["battery_unknown"]);
    }

    // ---- facial_interface_worn ----

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)] // exactly the rated number of cleanings: due for replacement
    [InlineData(101, true)]
    public void AFacialInterfaceThatHasHadItsRatedCleaningsMustBeReplaced(int cleanings, bool worn)
    {
        var codes = ReasonCodes(Ready() with { FacialInterfaceCleanings = cleanings, FacialInterfaceRating = 100 });

        if (worn) codes.ShouldBe(["facial_interface_worn"]);
        else codes.ShouldBeEmpty();
    }

    [Fact]
    public void AModelWithoutAFacialInterfaceRatingIsNeverBlockedForWear()
    {
        ReasonCodes(Ready() with { FacialInterfaceCleanings = 5000, FacialInterfaceRating = 0 }).ShouldBeEmpty();
    }

    // ---- offline_unverified ----

    [Theory]
    [InlineData(599, false)] // 9 min 59 s
    [InlineData(600, true)] // exactly 10 min
    [InlineData(3600, true)]
    public void ACleanHeadsetNotHeardFromForTenMinutesGetsAWarning(int silentSeconds, bool warned)
    {
        var result = AssignmentGate.Evaluate(Ready() with { LastSeenAt = At(0).AddSeconds(-silentSeconds) });

        result.Ready.ShouldBeTrue();
        if (warned) result.Warnings.Select(w => w.Code).ShouldBe(["offline_unverified"]);
        else result.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(599, false)]
    [InlineData(600, true)]
    public void ANotCleanHeadsetNotHeardFromForTenMinutesIsBlockedAsUnverified(int silentSeconds, bool blocked)
    {
        var result = AssignmentGate.Evaluate(Ready() with { Hygiene = HygieneState.Dirty, LastSeenAt = At(0).AddSeconds(-silentSeconds) });

        if (blocked) result.Reasons.Select(r => r.Code).ShouldBe(["not_clean", "offline_unverified"], ignoreOrder: true);
        else result.Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void AnExpiredOfflineHeadsetIsBlockedNotWarned()
    {
        var result = AssignmentGate.Evaluate(Ready() with { Hygiene = HygieneState.Expired, LastSeenAt = At(-11) });

        result.Reasons.Select(r => r.Code).ShouldContain("offline_unverified");
        result.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void AHeadsetWhoseAgentNeverReportedIsNotOffline()
    {
        var result = AssignmentGate.Evaluate(Ready() with { LastSeenAt = null });

        result.Reasons.ShouldBeEmpty();
        result.Warnings.Select(w => w.Code).ShouldNotContain("offline_unverified");
    }

    [Fact]
    public void TheOfflineThresholdFollowsThePolicy()
    {
        var input = Ready() with { LastSeenAt = At(-6), Policy = Policy with { OfflineAfter = TimeSpan.FromMinutes(5) } };

        WarningCodes(input).ShouldBe(["offline_unverified"]);
    }

    // ---- all that hold ----

    [Fact]
    public void EveryReasonThatHoldsIsReturnedNotJustTheFirst()
    {
        var result = AssignmentGate.Evaluate(new GateInput
        {
            Hygiene = HygieneState.Dirty,
            InOpenSession = true,
            OpenFlags = [FlagKind.MotionSickness, FlagKind.Damage, FlagKind.Maintenance, FlagKind.Recall],
            Retired = true,
            BatteryPercent = 5,
            ModelRuntimeMinutes = 120,
            FacialInterfaceCleanings = 150,
            FacialInterfaceRating = 100,
            LastSeenAt = At(-60),
            SessionMinutes = 30,
            Policy = Policy,
            Now = At(0),
        });

        result.Reasons.Select(r => r.Code).ShouldBe(
        [
            "not_clean", "in_use", "motion_sickness_flag", "damage_flag", "maintenance", "recall", "retired",
            "battery_insufficient", "facial_interface_worn", "offline_unverified",
        ], ignoreOrder: true);
        result.Reasons.ShouldAllBe(r => !string.IsNullOrWhiteSpace(r.Message));
    }

    [Fact]
    public void WarningsAloneDoNotBlock()
    {
        var result = AssignmentGate.Evaluate(Ready() with { BatteryPercent = null, LastSeenAt = At(-30) });

        result.Ready.ShouldBeTrue();
        result.Warnings.Select(w => w.Code).ShouldBe(["battery_unknown", "offline_unverified"], ignoreOrder: true);
    }
}
