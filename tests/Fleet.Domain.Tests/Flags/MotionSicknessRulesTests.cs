using Fleet.Domain.Flags;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Flags;

/// <summary>Automatic motion-sickness holds (product.md, "Motion sickness").</summary>
public class MotionSicknessRulesTests
{
    private static readonly MotionSicknessPolicy Rules = MotionSicknessPolicy.Default;

    private static ComfortReport Report(int? fms, string? patient = "mrn-1", DateTimeOffset? at = null, string headset = "hs-1") => new()
    {
        Id = Guid.NewGuid(),
        HeadsetId = headset,
        PatientRef = patient,
        Fms = fms,
        ReportedBy = "nurse.a",
        At = at ?? At(0),
    };

    // ---- one report ----

    [Theory]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(20)]
    public void OneReportOfFmsTenOrMoreRaisesAFlag(int fms)
    {
        var hit = MotionSicknessRules.AfterReport(Report(fms), [], Rules);

        hit.ShouldNotBeNull().Rule.ShouldBe("fms_single_report");
        hit.Value.Note.ShouldContain($"FMS {fms}");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(5)]
    [InlineData(0)]
    public void OneReportBelowFmsTenAloneRaisesNothing(int fms)
    {
        MotionSicknessRules.AfterReport(Report(fms), [], Rules).ShouldBeNull();
    }

    [Fact]
    public void AFreeTextReportWithoutAScoreRaisesNothing()
    {
        var earlier = Report(8, "mrn-2", At(-60));

        MotionSicknessRules.AfterReport(Report(null), [earlier], Rules).ShouldBeNull();
    }

    [Fact]
    public void TheSingleReportThresholdFollowsThePolicy()
    {
        MotionSicknessRules.AfterReport(Report(8), [], Rules with { SingleReportFms = 8 })
            .ShouldNotBeNull().Rule.ShouldBe("fms_single_report");
    }

    // ---- two reports from different patients within 14 days ----

    [Fact]
    public void TwoReportsOfFmsFiveFromDifferentPatientsRaiseAFlag()
    {
        var earlier = Report(5, "mrn-1", At(-60));
        var now = Report(5, "mrn-2");

        MotionSicknessRules.AfterReport(now, [earlier, now], Rules).ShouldNotBeNull().Rule.ShouldBe("fms_repeated_reports");
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(5, 4)]
    [InlineData(4, 9)]
    public void BothReportsMustReachFmsFive(int earlierFms, int nowFms)
    {
        var earlier = Report(earlierFms, "mrn-1", At(-60));

        MotionSicknessRules.AfterReport(Report(nowFms, "mrn-2"), [earlier], Rules).ShouldBeNull();
    }

    [Fact]
    public void TwoReportsFromTheSamePatientDoNotRaiseAFlag()
    {
        var earlier = Report(7, "mrn-1", At(-60));

        MotionSicknessRules.AfterReport(Report(7, "mrn-1"), [earlier], Rules).ShouldBeNull();
    }

    [Fact]
    public void AReportDoesNotPairWithItself()
    {
        var now = Report(7, "mrn-1");

        MotionSicknessRules.AfterReport(now, [now], Rules).ShouldBeNull();
    }

    [Theory]
    [InlineData(0, true)] // exactly 14 days apart
    [InlineData(1, false)] // 14 days and a second
    [InlineData(-1, true)]
    public void TheOtherReportMustBeWithinFourteenDays(int extraSeconds, bool flagged)
    {
        var earlier = Report(6, "mrn-1", At(0) - TimeSpan.FromDays(14) - TimeSpan.FromSeconds(extraSeconds));

        var hit = MotionSicknessRules.AfterReport(Report(6, "mrn-2"), [earlier], Rules);

        (hit is not null).ShouldBe(flagged);
    }

    [Fact]
    public void AReportLoggedLateStillPairsWithALaterOne()
    {
        // The report being judged happened before the one already stored.
        var stored = Report(6, "mrn-2", At(0) + TimeSpan.FromDays(3));

        MotionSicknessRules.AfterReport(Report(6, "mrn-1"), [stored], Rules).ShouldNotBeNull();
    }

    [Fact]
    public void AReportWithoutAPatientCountsAsAnotherPatient()
    {
        var earlier = Report(6, patient: null, At(-60));

        MotionSicknessRules.AfterReport(Report(6, "mrn-1"), [earlier], Rules).ShouldNotBeNull().Rule.ShouldBe("fms_repeated_reports");
    }

    [Fact]
    public void ReportsOnAnotherHeadsetDoNotCount()
    {
        var elsewhere = Report(9, "mrn-2", At(-60), headset: "hs-2");

        MotionSicknessRules.AfterReport(Report(6, "mrn-1"), [elsewhere], Rules).ShouldBeNull();
    }

    [Fact]
    public void TheRepeatedReportRulesFollowThePolicy()
    {
        var policy = Rules with { RepeatedReportFms = 3, RepeatedWindow = TimeSpan.FromDays(30) };
        var earlier = Report(3, "mrn-1", At(0) - TimeSpan.FromDays(20));

        MotionSicknessRules.AfterReport(Report(3, "mrn-2"), [earlier], Rules).ShouldBeNull();
        MotionSicknessRules.AfterReport(Report(3, "mrn-2"), [earlier], policy).ShouldNotBeNull();
    }

    // ---- session telemetry ----

    [Theory]
    [InlineData(5.0, false)] // exactly 5 %: not above
    [InlineData(5.01, true)]
    [InlineData(4.99, false)]
    [InlineData(40.0, true)]
    public void DroppedFramesAboveFivePercentRaiseAFlag(double dropped, bool flagged)
    {
        var hit = MotionSicknessRules.AfterSession(dropped, trackingLostCount: 0, Rules);

        if (flagged) hit.ShouldNotBeNull().Rule.ShouldBe("session_performance");
        else hit.ShouldBeNull();
    }

    [Theory]
    [InlineData(3, false)] // exactly 3 losses: not more than 3
    [InlineData(4, true)]
    [InlineData(0, false)]
    public void TrackingLostMoreThanThreeTimesRaisesAFlag(int losses, bool flagged)
    {
        var hit = MotionSicknessRules.AfterSession(droppedFramePercent: 0, losses, Rules);

        if (flagged) hit.ShouldNotBeNull().Rule.ShouldBe("session_performance");
        else hit.ShouldBeNull();
    }

    [Fact]
    public void ASessionWithoutPerformanceTelemetryRaisesNothing()
    {
        MotionSicknessRules.AfterSession(null, null, Rules).ShouldBeNull();
    }

    [Fact]
    public void TheSessionNoteSaysWhatWasMeasured()
    {
        MotionSicknessRules.AfterSession(12.5, 0, Rules).ShouldNotBeNull().Note.ShouldContain("12.5 % dropped frames");
        MotionSicknessRules.AfterSession(0, 7, Rules).ShouldNotBeNull().Note.ShouldContain("lost 7 times");
    }

    // ---- severity for FHIR AdverseEvent ----

    [Theory]
    [InlineData(null, "mild")]
    [InlineData(0, "mild")]
    [InlineData(4, "mild")]
    [InlineData(5, "moderate")]
    [InlineData(9, "moderate")]
    [InlineData(10, "severe")]
    [InlineData(20, "severe")]
    public void SeverityFollowsTheFmsScore(int? fms, string severity)
    {
        Fms.Severity(fms).ShouldBe(severity);
    }

    [Fact]
    public void TheRuleBehindAnAutomaticHoldReadsAsWordsWithThePolicysNumbers()
    {
        MotionSicknessRules.Describe(MotionSicknessRules.RuleSingleReport, MotionSicknessPolicy.Default).ShouldBe("one report FMS 10 or more");
        MotionSicknessRules.Describe(MotionSicknessRules.RuleSingleReport, new MotionSicknessPolicy { SingleReportFms = 12 }).ShouldBe("one report FMS 12 or more");
        MotionSicknessRules.Describe(MotionSicknessRules.RuleRepeatedReports, MotionSicknessPolicy.Default).ShouldBe("two patients FMS 5 or more within 14 days");
        MotionSicknessRules.Describe(null, MotionSicknessPolicy.Default).ShouldBeNull();
    }
}
