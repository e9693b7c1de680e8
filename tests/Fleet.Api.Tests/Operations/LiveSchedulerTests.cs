using System.Diagnostics;
using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shouldly;
using Xunit.Abstractions;

namespace Fleet.Api.Tests.Operations;

/// <summary>The scheduler and the change listener switched on, as in production.</summary>
public sealed class LiveSchedulerTests(ITestOutputHelper output)
{
    /// <summary>The API on the system clock, so Quartz fires in real time.</summary>
    private sealed class RealClockFleetApp : FleetApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(TimeProvider.System)));
        }
    }

    [Fact]
    public async Task AOneMinuteHangTimeExpiresACleanHeadsetAboutAMinuteLaterInARunningApi()
    {
        using var app = new RealClockFleetApp();
        app.WithSetting("Fleet:Jobs:Enabled", "true").WithSetting("Fleet:Jobs:IntervalSeconds", "2");
        var infection = await app.ClientAs("infection");
        await (await infection.Put("/api/v1/wards/paediatrics/policy", new WardPolicyRequest(1, 30, "06:00", 72, 15, 10, false))).ShouldBe(HttpStatusCode.OK);
        // A one-second product, so a cleaning logged as finished now can have started after the headset was registered.
        await (await infection.Post("/api/v1/products", new ProductRequest("quick-wipe", "Test wipe", Methods.QuaternaryAmmonium, 1, null, true)))
            .ShouldBe(HttpStatusCode.Created);
        var registered = (await app.HeadsetAsync("HS-0001")).RegisteredAt;
        var completed = DateTimeOffset.UtcNow > registered.AddSeconds(1) ? DateTimeOffset.UtcNow : registered.AddSeconds(1);

        var nurse = await app.ClientAs("nurse");
        var logged = await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log", new LogCleaningRequest("quick-wipe", registered, completed, false, null, null));
        await logged.ShouldBe(HttpStatusCode.Created);
        var sinceClean = Stopwatch.StartNew();
        (await app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Clean);

        var expiry = await JobSteps.EventuallyAsync(async () =>
            (await app.AuditAsync("?entityId=HS-0001&action=hygiene.expired")).SingleOrDefault(), TimeSpan.FromSeconds(120), "HS-0001 expires");
        var waited = sinceClean.Elapsed;
        output.WriteLine($"Expired {waited.TotalSeconds:0.0} s after the cleaning was logged; recorded {(expiry.At - completed).TotalSeconds:0.0} s after it completed.");

        waited.TotalSeconds.ShouldBeInRange(55, 90);
        (expiry.At - completed).TotalSeconds.ShouldBeInRange(55, 90);
        expiry.OccurredAt!.Value.ShouldBe(completed.AddMinutes(1), TimeSpan.FromMicroseconds(1)); // stored to the microsecond
        app.StoredHygiene("HS-0001").ShouldBe(HygieneStates.Expired);
        var due = await JobSteps.EventuallyAsync(async () =>
            (await app.TasksAsync("?headsetId=HS-0001")).SingleOrDefault(), TimeSpan.FromSeconds(30), "its cleaning falls due");
        due.DueAt.ShouldBe(completed.AddMinutes(31), TimeSpan.FromMicroseconds(1));
    }

    [Fact]
    public async Task ACommitThatResolvesATaskOrAlertClosesItWithinMoments()
    {
        // An hour between firings (on the test's clock, which moves 13 min here): only the change listener can close
        // anything during this test. The generous bound is for a loaded CI machine; alone it takes well under a second.
        using var app = new FleetApp().WithSetting("Fleet:Jobs:Enabled", "true").WithSetting("Fleet:Jobs:IntervalSeconds", "3600");
        await app.HeardFromAsync("HS-0002");
        app.Time.Advance(TimeSpan.FromMinutes(11));
        await app.RunJobAsync<CleaningDueJob>();
        await app.RunJobAsync<OfflineJob>();
        (await app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem();
        (await app.AlertsAsync("?open=true&headsetId=HS-0002&kind=offline")).ShouldHaveSingleItem();

        await app.CleanAsync("HS-0001");
        var sinceClean = Stopwatch.StartNew();
        await app.HeardFromAsync("HS-0002");

        var done = await JobSteps.EventuallyAsync(async () =>
            (await app.TasksAsync("?status=done")).SingleOrDefault(), TimeSpan.FromSeconds(60), "the cleaning task closes");
        output.WriteLine($"The cleaning task closed {sinceClean.Elapsed.TotalMilliseconds:0} ms after the cleaning was recorded.");
        done.HeadsetId.ShouldBe("HS-0001");
        done.ClosedBy.ShouldBe("system:jobs");
        var back = await JobSteps.EventuallyAsync(async () =>
            (await app.AlertsAsync("?open=false&headsetId=HS-0002")).SingleOrDefault(), TimeSpan.FromSeconds(60), "the offline alert closes");
        back.CloseReason!.ShouldStartWith("Heard from again");
    }
}
