using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class FleetHealthTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<FleetHealth> HealthAsync() => await (await _app.ClientAs("scheduler")).Get<FleetHealth>("/api/v1/fleet/health");

    [Fact]
    public async Task TheNightlyForecastListsHeadsetsThatReach100PercentWithinNinetyDays()
    {
        await _app.ChangeHeadsetAsync("HS-0001", h => h.Counters.FacialInterfaceCleanings = 50); // quest-3: rated 60
        for (var i = 0; i < 3; i++) await _app.CleanAsync("HS-0001"); // 3 wipes in 30 days: 0.1 a day, 7 to go
        await _app.ChangeHeadsetAsync("HS-0002", h => h.Counters.FacialInterfaceCleanings = 150); // pico-4e: rated 150, worn out
        var runAt = _app.Time.GetUtcNow();

        await _app.RunJobAsync<LifetimeForecastJob>();

        var due = (await HealthAsync()).DueForReplacement;
        due.Select(d => d.HeadsetId).ShouldBe(["HS-0002", "HS-0001"]);
        due.ShouldAllBe(d => d.Dimension == "facial_interface_cleanings");
        due[0].ForecastAt.ShouldBe(runAt);
        due[0].LifetimeConsumedPercent.ShouldBe(100);
        (due[1].ForecastAt - runAt).TotalDays.ShouldBe(70, 0.001);
        _app.Scalar("SELECT COUNT(*) FROM lifetime_forecasts").ShouldBe(12L * 4); // every headset, every dimension
    }

    [Fact]
    public async Task TheForecastRunsOnceANightHoweverOftenTheJobFires()
    {
        await _app.RunJobAsync<LifetimeForecastJob>();
        await _app.ChangeHeadsetAsync("HS-0002", h => h.Counters.FacialInterfaceCleanings = 150);
        _app.Time.Advance(TimeSpan.FromHours(17)); // 01:00 the next day
        await _app.RunJobAsync<LifetimeForecastJob>();
        (await HealthAsync()).DueForReplacement.ShouldBeEmpty();

        _app.Time.Advance(TimeSpan.FromHours(1)); // 02:00
        await _app.RunJobAsync<LifetimeForecastJob>();
        (await HealthAsync()).DueForReplacement.ShouldHaveSingleItem().HeadsetId.ShouldBe("HS-0002");
    }

    [Fact]
    public async Task TheSummaryCountsHeadsetsByStateReadinessAndConnection()
    {
        await _app.CleanAsync("HS-0001");
        await _app.CleanAsync("HS-0002");
        await _app.AssignAsync("HS-0001");
        await _app.HeardFromAsync("HS-0003");
        var biomed = await _app.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0012/retire", new RetireRequest("Dropped and cracked."))).ShouldBe(HttpStatusCode.OK);

        var health = await HealthAsync();

        health.Total.ShouldBe(12);
        health.Retired.ShouldBe(1);
        health.Ready.ShouldBe(1);
        health.Online.ShouldBe(1);
        health.ByState["Dirty"].ShouldBe(9);
        health.ByState["Clean"].ShouldBe(1);
        health.ByState["InUse"].ShouldBe(1);
        health.ByState["Expired"].ShouldBe(0);
        health.OpenAlerts.ShouldBeEmpty();
    }
}
