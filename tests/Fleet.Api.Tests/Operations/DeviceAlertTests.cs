using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class DeviceAlertTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AHeadsetSilentForTenMinutesIsMarkedOfflineAndHearingFromItAgainClosesTheAlert()
    {
        await _app.HeardFromAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromMinutes(9));
        await _app.RunJobAsync<OfflineJob>();
        (await _app.AlertsAsync()).ShouldBeEmpty();

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await _app.RunJobAsync<OfflineJob>();

        var alert = (await _app.AlertsAsync("?open=true")).ShouldHaveSingleItem();
        alert.Kind.ShouldBe(AlertKinds.Offline);
        alert.HeadsetId.ShouldBe("HS-0001");
        var offline = (await _app.AuditAsync("?entityId=HS-0001&action=headset.offline")).ShouldHaveSingleItem();
        offline.Actor.ShouldBe("system:jobs");
        Convert.ToBoolean(_app.Scalar("""SELECT "Telemetry_Online" FROM headsets WHERE "Id" = 'HS-0001'""")).ShouldBeFalse();
        (await _app.HeadsetAsync("HS-0002")).Summary.Online.ShouldBeFalse(); // never heard from: no alert for it

        _app.Time.Advance(TimeSpan.FromHours(1));
        await _app.HeardFromAsync("HS-0001");
        await _app.RunJobAsync<OfflineJob>();

        (await _app.AlertsAsync("?open=true")).ShouldBeEmpty();
        (await _app.AlertsAsync("?open=false")).ShouldHaveSingleItem().CloseReason!.ShouldStartWith("Heard from again");
    }

    [Fact]
    public async Task GoingSilentDuringASessionIsCriticalUntilTheSessionEnds()
    {
        await _app.CleanAsync("HS-0001");
        var session = await _app.AssignAsync("HS-0001");
        await _app.HeardFromAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromMinutes(11));
        await _app.RunJobAsync<OfflineJob>();

        var alerts = await _app.AlertsAsync("?open=true&headsetId=HS-0001");
        alerts.Select(a => a.Kind).Order().ShouldBe([AlertKinds.Offline, AlertKinds.OfflineInSession]);
        alerts.Single(a => a.Kind == AlertKinds.OfflineInSession).Severity.ShouldBe("critical");

        await _app.EndAsync(session.Id);
        await _app.RunJobAsync<OfflineJob>();

        (await _app.AlertsAsync("?open=true")).ShouldHaveSingleItem().Kind.ShouldBe(AlertKinds.Offline);
        (await _app.AlertsAsync("?open=false")).ShouldHaveSingleItem().CloseReason.ShouldBe("The session ended.");
    }

    [Fact]
    public async Task BatteryAndStorageAlertsOpenOncePerEpisodeAndCloseWhenTheConditionEnds()
    {
        await _app.ChangeHeadsetAsync("HS-0002", h =>
        {
            h.Telemetry.BatteryTemperatureC = 45;
            h.Telemetry.BatteryHealthPercent = 79;
            h.Telemetry.StorageFreeMb = 1023;
        });
        await _app.ChangeHeadsetAsync("HS-0003", h =>
        {
            h.Telemetry.BatteryTemperatureC = 44.9;
            h.Telemetry.BatteryHealthPercent = 80;
            h.Telemetry.StorageFreeMb = 1024;
        });
        await _app.RunJobAsync<DeviceHealthJob>();
        await _app.RunJobAsync<DeviceHealthJob>();

        var open = await _app.AlertsAsync("?open=true");
        open.ShouldAllBe(a => a.HeadsetId == "HS-0002");
        open.Select(a => a.Kind).Order().ShouldBe([AlertKinds.BatteryHealth, AlertKinds.BatteryTemperature, AlertKinds.StorageLow]);
        open.Single(a => a.Kind == AlertKinds.BatteryTemperature).Severity.ShouldBe("critical");

        await _app.ChangeHeadsetAsync("HS-0002", h => h.Telemetry.BatteryTemperatureC = 31);
        await _app.RunJobAsync<DeviceHealthJob>();
        (await _app.AlertsAsync("?kind=battery_temperature")).ShouldHaveSingleItem().Open.ShouldBeFalse();

        await _app.ChangeHeadsetAsync("HS-0002", h => h.Telemetry.BatteryTemperatureC = 47);
        await _app.RunJobAsync<DeviceHealthJob>();
        var episodes = await _app.AlertsAsync("?kind=battery_temperature");
        episodes.Count.ShouldBe(2);
        episodes.Count(a => a.Open).ShouldBe(1);
        (await _app.AlertsAsync("?open=true")).Count.ShouldBe(3);
    }

    [Fact]
    public async Task AHeadsetPastNinetyPercentOfItsLifetimeRaisesAnAlert()
    {
        await _app.ChangeHeadsetAsync("HS-0001", h => h.Counters.Cleanings = 1350); // quest-3: 1500 cleanings of housing
        await _app.RunJobAsync<DeviceHealthJob>();
        (await _app.AlertsAsync()).ShouldBeEmpty();

        await _app.ChangeHeadsetAsync("HS-0001", h => h.Counters.Cleanings = 1351);
        await _app.RunJobAsync<DeviceHealthJob>();

        var alert = (await _app.AlertsAsync("?open=true")).ShouldHaveSingleItem();
        alert.Kind.ShouldBe(AlertKinds.LifetimeHigh);
        alert.Message.ShouldContain("90 %");
        var health = await (await _app.ClientAs("biomed")).Get<FleetHealth>("/api/v1/fleet/health");
        health.OpenAlertsByKind.ShouldHaveSingleItem().ShouldBe(new KeyValuePair<string, int>(AlertKinds.LifetimeHigh, 1));
        health.OpenAlerts.ShouldHaveSingleItem().Id.ShouldBe(alert.Id);
    }
}
