using Fleet.Api.Clinical.Compliance;
using Fleet.Domain.Cleaning;
using Fleet.Domain;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Compliance;

/// <summary>The replay behind the compliance report, on histories the API cannot produce or that take days to build.</summary>
public sealed class HygieneTimelineTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset H(double hours) => Day.AddMinutes(Math.Round(hours * 60));

    [Fact]
    public void AnExpiredCleanStartsADirtyPeriodAtTheExpiryAndTheNextSessionWasNotPreceded()
    {
        // Cleaned at 08:00 with a 4 h hang time: expired at 12:00, used at 13:00 (an agent-reported session), cleaned at 14:06,
        // expired again at 18:06 and still not cleaned at 20:00.
        var session = Used(H(13), H(13.5));
        var result = Replay(4, [session], [Valid(H(7.9), H(8)), Valid(H(14), H(14.1))]);

        result.PrecededByValidCleaning[session.Id].ShouldBeFalse();
        result.DirtyPeriods.Select(p => (p.Start, p.CleanedAt)).ShouldBe([(H(0), H(8)), (H(12), H(14.1)), (H(18.1), null)]);
    }

    [Fact]
    public void ASoilingWhileDirtyKeepsTheFirstStartAndACleaningBeforeTheLastSoilingDoesNotEndIt()
    {
        var result = Replay(24, [], [Valid(H(0), H(1)), Valid(H(2.5), H(3.1)), Valid(H(3.5), H(3.6))], soilings: [H(2), H(3)]);

        // Dirty from the marking at 02:00; the cleaning from 02:30 started before the 03:00 marking; the 03:30 one covers both.
        result.DirtyPeriods.Select(p => (p.Start, p.CleanedAt)).ShouldBe([(H(0), H(1)), (H(2), H(3.6))]);
    }

    [Fact]
    public void AnInvalidCleaningChangesNothingAndAPeriodNotYetCleanedStaysOpen()
    {
        var session = Used(H(1), H(2));
        var result = Replay(24, [session], [Valid(H(0.5), H(0.6)), Invalid(H(2.1), H(2.2))]);

        result.PrecededByValidCleaning[session.Id].ShouldBeTrue();
        result.DirtyPeriods.Last().ShouldBe(new DirtyPeriod("HS-T", H(2), null));
    }

    [Theory]
    [InlineData(new double[] { 7 }, 0.5, 7)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.9, 3.7)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 0.9, 10)]
    public void PercentilesInterpolateBetweenClosestRanks(double[] sorted, double p, double expected) =>
        ComplianceService.Percentile(sorted, p).ShouldBe(expected);

    [Fact]
    public void ThereIsNoPercentileOfNothing() => ComplianceService.Percentile([], 0.5).ShouldBeNull();

    private static TimelineResult Replay(double hangHours, IReadOnlyList<Session> sessions, IReadOnlyList<CleaningRecord> cleanings,
        IReadOnlyList<DateTimeOffset>? soilings = null) => HygieneTimeline.Replay(new TimelineInput
    {
        HeadsetId = "HS-T", RegisteredAt = Day, Sessions = sessions, Cleanings = cleanings, Soilings = soilings ?? [],
        HangTime = TimeSpan.FromHours(hangHours), Now = H(20),
    });

    private static Session Used(DateTimeOffset start, DateTimeOffset end)
    {
        var s = new Session
        {
            Id = Guid.NewGuid(), HeadsetId = "HS-T", PatientRef = "MRN-T", WardId = "w", SessionMinutes = 30, StartedAt = start, StartedBy = "agent",
        };
        s.End(end, "agent", null);
        return s;
    }

    private static CleaningRecord Valid(DateTimeOffset start, DateTimeOffset end) => Cleaning(start, end, []);

    private static CleaningRecord Invalid(DateTimeOffset start, DateTimeOffset end) =>
        Cleaning(start, end, [new Refusal(Codes.ContactTimeNotMet, "Too short.")]);

    private static CleaningRecord Cleaning(DateTimeOffset start, DateTimeOffset end, IReadOnlyList<Refusal> problems)
    {
        var c = new CleaningRecord
        {
            Id = Guid.NewGuid(), HeadsetId = "HS-T", ProductId = "quat-wipe", Method = ProductClass.QuaternaryAmmonium, ContactSeconds = 120,
            Operator = "nurse", StartedAt = start, SporicidalRequired = false, RecordedAt = end,
        };
        c.Finish(end, false, null, problems, late: false);
        return c;
    }
}
