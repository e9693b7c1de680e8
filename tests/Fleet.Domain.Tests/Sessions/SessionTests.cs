using Fleet.Domain.Sessions;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Sessions;

/// <summary>A headset handed to one patient reference for one session.</summary>
public class SessionTests
{
    private static Session Started(params string[] precautions) => new()
    {
        Id = Guid.NewGuid(),
        HeadsetId = "hs-1",
        PatientRef = "mrn-1",
        WardId = "ward-a",
        SessionMinutes = 30,
        Precautions = [.. precautions],
        StartedAt = At(0),
        StartedBy = "sched.a",
    };

    [Fact]
    public void ANewSessionIsOpen()
    {
        var s = Started();

        s.Open.ShouldBeTrue();
        s.EndedAt.ShouldBeNull();
    }

    [Fact]
    public void EndingRecordsWhenWhoAndTheReportedWearTime()
    {
        var s = Started();

        s.End(At(35), "nurse.a", wearSeconds: 1500);

        s.Open.ShouldBeFalse();
        s.EndedAt.ShouldBe(At(35));
        s.EndedBy.ShouldBe("nurse.a");
        s.WearSeconds.ShouldBe(1500);
    }

    [Fact]
    public void WithoutAReportedWearTimeTheWholeSessionCountsAsWorn()
    {
        var s = Started();

        s.End(At(35), "nurse.a", wearSeconds: null);

        s.WearSeconds.ShouldBe(35 * 60);
    }

    [Fact]
    public void AnEndBeforeTheStartIsPlacedAtTheStart()
    {
        var s = Started();

        s.End(At(-5), "nurse.a", wearSeconds: null);

        s.EndedAt.ShouldBe(At(0));
        s.WearSeconds.ShouldBe(0);
    }

    [Fact]
    public void ASessionEndsOnlyOnce()
    {
        var s = Started();
        s.End(At(35), "nurse.a", 1500);

        Should.Throw<InvalidOperationException>(() => s.End(At(40), "nurse.b", 1800));

        s.EndedAt.ShouldBe(At(35));
        s.EndedBy.ShouldBe("nurse.a");
    }

    [Theory]
    [InlineData(new[] { "contact" }, true)]
    [InlineData(new[] { "droplet", "contact" }, true)]
    [InlineData(new[] { "droplet" }, false)]
    [InlineData(new[] { "airborne" }, false)]
    [InlineData(new string[0], false)]
    public void OnlyContactPrecautionsAreContactPrecautions(string[] precautions, bool contact)
    {
        Started(precautions).ContactPrecautions.ShouldBe(contact);
    }

    [Fact]
    public void PerformanceTelemetryIsRecorded()
    {
        var s = Started();

        s.RecordPerformance(fpsAvg: 71.5, droppedFramePercent: 6.2, trackingLostCount: 2, wearSeconds: 1400);

        s.FpsAvg.ShouldBe(71.5);
        s.DroppedFramePercent.ShouldBe(6.2);
        s.TrackingLostCount.ShouldBe(2);
        s.WearSeconds.ShouldBe(1400);
    }

    [Fact]
    public void PerformanceWithoutAWearTimeKeepsTheOneAlreadyKnown()
    {
        var s = Started();
        s.End(At(35), "nurse.a", 1500);

        s.RecordPerformance(72, 1.0, 0, wearSeconds: null);

        s.WearSeconds.ShouldBe(1500);
    }
}
