using Fleet.Domain.Catalog;

namespace Fleet.Domain.Tests.Catalog;

/// <summary>Which instant is "06:00 on this ward" (the deep clean's slot), including the days the clocks change.</summary>
public class WardClockTests
{
    private static readonly TimeZoneInfo London = WardClock.Find("Europe/London")!;
    private static readonly TimeZoneInfo NewYork = WardClock.Find("America/New_York")!;
    private static readonly TimeOnly SixAm = new(6, 0);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void SixInTheMorningOnAUtcWardIsSixUtc()
    {
        WardClock.At(new DateOnly(2026, 1, 15), SixAm, TimeZoneInfo.Utc).ShouldBe(Utc(1, 15, 6));
    }

    [Fact]
    public void SixInTheMorningInLondonIsSixUtcInWinterAndFiveUtcInSummer()
    {
        WardClock.At(new DateOnly(2026, 1, 15), SixAm, London).ShouldBe(Utc(1, 15, 6));
        WardClock.At(new DateOnly(2026, 7, 15), SixAm, London).ShouldBe(Utc(7, 15, 5));
    }

    [Fact]
    public void OnTheDayLondonsClocksGoForwardSixInTheMorningIsAlreadySummerTime()
    {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST.
        WardClock.At(new DateOnly(2026, 3, 29), SixAm, London).ShouldBe(Utc(3, 29, 5));
        WardClock.At(new DateOnly(2026, 3, 28), SixAm, London).ShouldBe(Utc(3, 28, 6));
    }

    [Fact]
    public void ATimeSkippedByTheClocksGoingForwardHappensAfterTheGapRatherThanNotAtAll()
    {
        // 8 March 2026 in New York: 02:00 EST becomes 03:00 EDT, so 02:30 never shows; it is read as 03:30 EDT.
        WardClock.At(new DateOnly(2026, 3, 8), new TimeOnly(2, 30), NewYork).ShouldBe(Utc(3, 8, 7, 30));
    }

    [Fact]
    public void ATimeShownTwiceWhenTheClocksGoBackIsItsFirstShowing()
    {
        // 1 November 2026 in New York: 01:30 shows in EDT (05:30 UTC) and again in EST (06:30 UTC).
        WardClock.At(new DateOnly(2026, 11, 1), new TimeOnly(1, 30), NewYork).ShouldBe(Utc(11, 1, 5, 30));
    }

    [Fact]
    public void TheLatestSlotIsTodaysOnceItsTimeHasComeAndYesterdaysBefore()
    {
        // London in summer: 06:00 BST is 05:00 UTC.
        WardClock.LatestAt(SixAm, Utc(7, 15, 5), London).ShouldBe((new DateOnly(2026, 7, 15), Utc(7, 15, 5)));
        WardClock.LatestAt(SixAm, Utc(7, 15, 4, 59), London).ShouldBe((new DateOnly(2026, 7, 14), Utc(7, 14, 5)));
    }

    [Fact]
    public void TheLatestSlotAcrossTheNightTheClocksGoBackIsTheWardsYesterday()
    {
        // 25 October 2026, London: 02:00 BST becomes 01:00 GMT. At 05:30 UTC (05:30 GMT) the 06:00 GMT slot has not come.
        WardClock.LatestAt(SixAm, Utc(10, 25, 5, 30), London).ShouldBe((new DateOnly(2026, 10, 24), Utc(10, 24, 5)));
        WardClock.LatestAt(SixAm, Utc(10, 25, 6), London).ShouldBe((new DateOnly(2026, 10, 25), Utc(10, 25, 6)));
    }

    [Fact]
    public void TheWardsDateIsItsOwnNotUtcs()
    {
        // 23:30 UTC on 15 January is already 16 January in Auckland.
        WardClock.Today(Utc(1, 15, 23, 30), WardClock.Find("Pacific/Auckland")!).ShouldBe(new DateOnly(2026, 1, 16));
    }

    [Fact]
    public void AnUnknownZoneIsNotFound()
    {
        WardClock.Find("Mars/Olympus_Mons").ShouldBeNull();
        WardClock.Find("").ShouldBeNull();
    }
}
