using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Shouldly;

namespace Fleet.Domain.Tests.Hygiene;

/// <summary>The reading rules every path (REST views, both ingest writers, jobs, FHIR) takes from one place.</summary>
public sealed class TelemetryRulesTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnOlderBatteryReadingChangesNothingAndANewerOneKeepsKnownValuesItLacks()
    {
        var t = new Telemetry();
        var counters = new HeadsetCounters();
        t.ApplyBattery(T, 80, false, 31.5, 97, 140, counters).ShouldBeTrue();
        t.ApplyBattery(T.AddMinutes(-1), 20, true, 40, 50, 150, counters).ShouldBeFalse(); // an outbox replaying the past
        (t.BatteryPercent, t.Charging, t.BatteryCycleCount, counters.BatteryCycles).ShouldBe((80, false, 140, 140));
        t.ApplyBattery(T.AddMinutes(1), 79, true, null, null, null, counters).ShouldBeTrue();
        (t.BatteryPercent, t.Charging, t.BatteryTemperatureC, t.BatteryHealthPercent, t.BatteryCycleCount, t.BatteryAt)
            .ShouldBe((79, (bool?)true, (double?)31.5, (int?)97, (int?)140, (DateTimeOffset?)T.AddMinutes(1)));
    }

    [Fact]
    public void TheBatteryCycleCountNeverGoesDownWhenANewBatteryReportsFewer()
    {
        var t = new Telemetry();
        var counters = new HeadsetCounters { BatteryCycles = 300 };
        t.ApplyBattery(T, 90, false, null, null, 5, counters).ShouldBeTrue();
        (t.BatteryCycleCount, counters.BatteryCycles).ShouldBe((5, 300));
        Telemetry.BatteryCycles(300, 5).ShouldBe(300);
        Telemetry.BatteryCycles(300, 301).ShouldBe(301);
        Telemetry.BatteryCycles(12, null).ShouldBe(12);
    }

    [Fact]
    public void AnEqualTimeReadingWinsSoTheLaterArrivalIsKept()
    {
        Telemetry.IsNewer(T, T).ShouldBeTrue();
        Telemetry.IsNewer(T, null).ShouldBeTrue();
        Telemetry.IsNewer(T.AddTicks(-1), T).ShouldBeFalse();
        var t = new Telemetry();
        t.ApplyDeviceInfo(T, "Quest 3", "v1", null, 5000, -60).ShouldBeTrue();
        t.ApplyDeviceInfo(T, null, "v2", null, null, null).ShouldBeTrue();
        (t.DeviceModel, t.Firmware, t.StorageFreeMb).ShouldBe(("Quest 3", "v2", (long?)5000));
    }

    [Fact]
    public void AHeadsetIsOnlineUntilSilentForTheWardsOfflineTime()
    {
        var t = new Telemetry { Online = true, LastSeenAt = T };
        var offlineAfter = TimeSpan.FromMinutes(10);
        t.IsOnline(T.AddMinutes(9), offlineAfter).ShouldBeTrue();
        t.IsOnline(T.AddMinutes(10), offlineAfter).ShouldBeFalse();
        Telemetry.IsSilent(T, T.AddMinutes(10), offlineAfter).ShouldBeTrue();
        Telemetry.IsSilent(null, T, offlineAfter).ShouldBeFalse(); // never heard from: unknown, not silent
        new Telemetry { Online = false, LastSeenAt = T }.IsOnline(T, offlineAfter).ShouldBeFalse();
    }

    [Fact]
    public void ACleaningMayBeCompletedFromItsEarliestCompletionOn()
    {
        var contact = TimeSpan.FromSeconds(120);
        CleaningRules.EarliestCompletion(T, contact).ShouldBe(T.AddSeconds(120));
        CleaningRules.ContactTimeMet(T, T.AddSeconds(120), contact).ShouldBeTrue();
        CleaningRules.ContactTimeMet(T, T.AddSeconds(119.9), contact).ShouldBeFalse();
    }
}
