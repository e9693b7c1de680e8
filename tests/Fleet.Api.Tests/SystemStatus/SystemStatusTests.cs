using System.Net;
using Fleet.Api.SystemStatus;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Fleet.Testing.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using SystemView = Fleet.Contracts.Api.SystemStatus;

namespace Fleet.Api.Tests.SystemStatus;

/// <summary>
/// GET /api/v1/system, what the System page shows. These run beside the other tests on purpose: the per-minute
/// history listens to its own host's meter only, and another API's traffic in the same process must not appear in it.
/// </summary>
public sealed class SystemStatusTests
{
    [Fact]
    public async Task SystemStatusCountsWhatIngestionStoredAndDeadLetteredWithItsLagAndTheBrokersOwnNumbers()
    {
        await using var b = await BrokerApp.StartAsync();
        var e = await b.EnrollAsync("HS-0001");
        using var agent = await b.ConnectAsHeadsetAsync(e);
        var topic = b.Topics.Events("HS-0001");
        var thirtySecondsAgo = b.App.Time.GetUtcNow().AddSeconds(-30);
        for (var seq = 1; seq <= 3; seq++)
            await agent.PublishCheckedAsync(BrokerApp.Message(topic, BrokerApp.Event("HS-0001", seq, EventTypes.Battery, new { percent = 80 - seq, charging = false }, thirtySecondsAgo)));
        await agent.PublishCheckedAsync(BrokerApp.Message(topic, "this is not json"));
        await agent.PublishCheckedAsync(BrokerApp.Message(topic, "nor is this"));
        await agent.PublishCheckedAsync(BrokerApp.Message(topic, BrokerApp.Event("HS-0001", 4, "teleport", new { }, thirtySecondsAgo)));
        await b.WaitForStatsAsync(s => s.Received == 6, "all six messages to be handled");
        await b.App.Services.GetRequiredService<InstanceHeartbeat>().BeatAsync(CancellationToken.None);

        var biomed = await b.App.ClientAs("biomed");
        SystemView? status = null;
        await Eventually.Async(async () => (status = await biomed.Get<SystemView>("/api/v1/system")).Broker.ClientsConnected >= 3,
            "the broker's $SYS statistics (published every 10 s) to count the API, its monitor account and the headset", () => status?.Broker.ToString() ?? "", TimeSpan.FromSeconds(30));

        status!.Ingest.Sum(m => m.Stored).ShouldBe(3);
        var minute = status.Ingest.ShouldHaveSingleItem();
        minute.Minute.ShouldBe(SystemRecorder.Minute(b.App.Time.GetUtcNow()));
        minute.LagP50Seconds.ShouldBe(30, "every event was committed 30 s after its own time (the bucket's upper bound)");
        minute.LagP99Seconds.ShouldBe(30);
        status.DeadLetters.Select(d => (d.Reason, d.Total, d.LastHour)).ShouldBe([("not_json", 2L, 2L), ("unknown_type", 1L, 1L)]);

        var instance = status.Instances.ShouldHaveSingleItem();
        (instance.Id, instance.Current, instance.Status).ShouldBe(("fleet-api-test", true, "Healthy"));
        // On PostgreSQL an instance is ready only while it listens for the other instances' changes.
        instance.Checks.Select(c => c.Name).Order().ShouldBe(b.App.OnPostgres
            ? ["broker", "changes", "database", "scheduler"] : ["broker", "database", "scheduler"]);
        instance.Checks.ShouldAllBe(c => !c.Description.Contains("127.0.0.1"), "no address reaches the page");

        status.Broker.Note.ShouldBeNull();
        status.Broker.QueuedMessages!.Value.ShouldBeGreaterThanOrEqualTo(0);
        status.Ehr.ShouldBe(new EhrQueue(0, null, 0));
    }

    [Fact]
    public async Task SystemStatusIsForBiomedicalEngineersAndAdminsOnly()
    {
        using var app = new FleetApp();
        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync("/api/v1/system")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var user in new[] { "nurse", "scheduler", "infection" })
            (await (await app.ClientAs(user)).GetAsync("/api/v1/system")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, user);
        foreach (var user in new[] { "biomed", "admin" })
            (await (await app.ClientAs(user)).GetAsync("/api/v1/system")).StatusCode.ShouldBe(HttpStatusCode.OK, user);
    }

    [Fact]
    public async Task WithoutABrokerTheStatusSaysWhyItShowsNoQueue()
    {
        using var app = new FleetApp();
        var status = await (await app.ClientAs("biomed")).Get<SystemView>("/api/v1/system");
        status.Broker.QueuedMessages.ShouldBeNull();
        status.Broker.Note.ShouldBe("MQTT ingestion is turned off on this instance.");
        status.Ingest.ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryInstanceOnTheDatabaseIsListedWithWhenItWasLastSeen()
    {
        using var dir = new TempDirectory();
        using var first = new FleetApp(dir.Path).WithSetting("Fleet:Mqtt:ClientId", "fleet-api-a");
        var a = await first.ClientAs("biomed");
        var second = new FleetApp(dir.Path, time: first.Time).WithSetting("Fleet:Mqtt:ClientId", "fleet-api-b");
        await second.ClientAs("biomed");
        await second.Services.GetRequiredService<InstanceHeartbeat>().BeatAsync(CancellationToken.None);
        var secondLastSeen = first.Time.GetUtcNow();
        second.Dispose();

        first.Time.Advance(TimeSpan.FromMinutes(5));
        await first.Services.GetRequiredService<InstanceHeartbeat>().BeatAsync(CancellationToken.None);
        var status = await a.Get<SystemView>("/api/v1/system");

        status.Instances.Select(i => (i.Id, i.Current, i.Status, i.LastSeenAt)).ShouldBe([
            ("fleet-api-a", true, "Healthy", first.Time.GetUtcNow()),
            ("fleet-api-b", false, "Healthy", secondLastSeen),
        ]);
    }

    [Fact]
    public async Task JobRunsShowEachScheduledJobsLastRunAndOutcome()
    {
        using var app = new FleetApp().WithSetting("Fleet:Jobs:Enabled", "true").WithSetting("Fleet:Jobs:IntervalSeconds", "3600")
            .WithSetting("Fleet:Mqtt:ClientId", "fleet-api-jobs");
        var biomed = await app.ClientAs("biomed");
        string[] jobs = ["DeepCleanJob", "DeviceHealthJob", "ExpiryJob", "CleaningDueJob", "FacialInterfaceJob", "InspectionJob",
            "LifetimeForecastJob", "OfflineJob", "TelemetryRetentionJob"];
        SystemView? status = null;
        await Eventually.Async(async () =>
        {
            await app.Services.GetRequiredService<InstanceHeartbeat>().BeatAsync(CancellationToken.None);
            return (status = await biomed.Get<SystemView>("/api/v1/system")).Jobs.Count == jobs.Length;
        }, "every job's first run (Quartz starts them at once)", () => string.Join(", ", status?.Jobs.Select(j => j.Job) ?? []), TimeSpan.FromSeconds(60));

        status!.Jobs.Select(j => j.Job).ShouldBe(jobs.Order());
        status.Jobs.ShouldAllBe(j => j.Succeeded && j.Instance == "fleet-api-jobs" && j.At == app.Time.GetUtcNow());
    }
}
