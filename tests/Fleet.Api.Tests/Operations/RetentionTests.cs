using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Ingestion;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Telemetry;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = Fleet.Testing.Time.ManualTimeProvider.DefaultStart;
    private static readonly DateTimeOffset OldHour = new(Now.UtcDateTime.Date.AddDays(-15).AddHours(10), TimeSpan.Zero);

    [Fact]
    public async Task RawReadingsOlderThan14DaysAreFoldedIntoHourlyAggregatesAndDeleted()
    {
        using var app = new FleetApp();
        await AddAsync(app,
            Battery(OldHour.AddMinutes(5), 80, 30), Battery(OldHour.AddMinutes(25), 70, 35), Battery(OldHour.AddMinutes(45), 60, 40),
            Battery(OldHour.AddMinutes(70), 50, 41),
            new TelemetrySample { EventId = Guid.NewGuid(), HeadsetId = "HS-0001", Kind = TelemetrySample.Device, At = OldHour.AddMinutes(30), StorageFreeMb = 5000, WifiRssi = -60 },
            Battery(Now.AddDays(-13), 90, 30));

        await app.RunJobAsync<TelemetryRetentionJob>();
        await app.RunJobAsync<TelemetryRetentionJob>();

        var biomed = await app.ClientAs("biomed");
        var series = await biomed.Get<List<TelemetryPoint>>($"/api/v1/headsets/HS-0001/telemetry?bucket=raw&from={Iso(Now.AddDays(-16))}&to={Iso(Now)}");
        series.Count.ShouldBe(3);
        var hour = series[0];
        (hour.Aggregated, hour.At, hour.Samples).ShouldBe((true, OldHour, 3));
        (hour.BatteryPercent, hour.BatteryPercentMin, hour.TemperatureC, hour.TemperatureMaxC).ShouldBe((70.0, 60, 35.0, 40.0));
        (series[1].Aggregated, series[1].At, series[1].Samples).ShouldBe((true, OldHour.AddHours(1), 1));
        (series[2].Aggregated, series[2].BatteryPercent).ShouldBe((false, 90.0));
        var device = (await biomed.Get<List<TelemetryPoint>>($"/api/v1/headsets/HS-0001/telemetry?kind=device&from={Iso(Now.AddDays(-16))}&to={Iso(Now)}")).ShouldHaveSingleItem();
        (device.Aggregated, device.StorageFreeMb, device.WifiRssi).ShouldBe((true, 5000L, -60));
        Count(app, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(1);
    }

    [Fact]
    public async Task AStopBetweenBatchesLosesNothingAndCountsNothingTwiceAfterARestart()
    {
        using var dir = new TempDirectory();
        using (var before = new FleetApp(dir.Path))
        {
            await AddAsync(before, Enumerable.Range(1, 25).Select(i => Battery(OldHour.AddMinutes(i), i, 30)).ToArray());
            await using var scope = before.Services.CreateAsyncScope();
            (await scope.ServiceProvider.GetRequiredService<TelemetryRetentionJob>().FoldBatchAsync(10, after: null, CancellationToken.None)).Folded.ShouldBe(10);
            Count(before, """SELECT "Samples" FROM telemetry_hourly""").ShouldBe(10);
            Count(before, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(15);
        } // the process stops here, before the next batch

        using var after = new FleetApp(dir.Path);
        await after.RunJobAsync<TelemetryRetentionJob>();

        Count(after, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(0);
        Count(after, """SELECT "Samples" FROM telemetry_hourly""").ShouldBe(25);
        var hour = (await (await after.ClientAs("biomed")).Get<List<TelemetryPoint>>(
            $"/api/v1/headsets/HS-0001/telemetry?from={Iso(Now.AddDays(-16))}&to={Iso(Now)}")).ShouldHaveSingleItem();
        (hour.BatteryPercent, hour.BatteryPercentMin, hour.CycleCount).ShouldBe((13.0, 1, 125)); // the mean of 1..25
    }

    [Fact]
    public async Task TelemetryEventKeysGoWithTheirFoldedReadingsWhileOtherEventsAndRecentKeysStay()
    {
        using var app = new FleetApp();
        await AddAsync(app, Battery(OldHour.AddMinutes(5), 80, 30), Battery(Now.AddDays(-1), 90, 30),
            Key(EventTypes.Battery, OldHour.AddMinutes(5)), Key(EventTypes.Heartbeat, OldHour.AddMinutes(6)),
            Key(EventTypes.DeviceInfo, OldHour.AddMinutes(7)), Key(EventTypes.CleaningCompleted, OldHour.AddMinutes(8)),
            Key(EventTypes.Heartbeat, Now.AddDays(-13)), Key(EventTypes.Battery, Now.AddDays(-1)));

        await app.RunJobAsync<TelemetryRetentionJob>();

        await using var scope = app.Services.CreateAsyncScope();
        var left = await scope.ServiceProvider.GetRequiredService<FleetDb>().Set<IngestedEvent>()
            .Where(e => e.HeadsetId == "HS-0001").Select(e => new { e.Type, e.At }).ToListAsync();
        left.OrderBy(e => e.At).Select(e => e.Type).ShouldBe([EventTypes.CleaningCompleted, EventTypes.Heartbeat, EventTypes.Battery]);
        EventValidator.MaxAge.ShouldBeLessThan(TelemetryRetentionJob.RawRetention); // a pruned key's event is refused for its age
    }

    [Fact]
    public async Task OneRunFoldsEveryHeadsetsExpiredReadingsNotOnlyTheFirstHeadsets()
    {
        // In service every headset gains an expired reading a minute, so the first headset always has a short batch's
        // worth; a run that stopped there never reached the others and their raw readings piled up.
        using var app = new FleetApp();
        await AddAsync(app, Battery(OldHour.AddMinutes(5), 80, 30, "HS-0001"),
            Battery(OldHour.AddMinutes(5), 70, 30, "HS-0002"), Battery(OldHour.AddMinutes(6), 69, 30, "HS-0002"),
            new TelemetrySample { EventId = Guid.NewGuid(), HeadsetId = "HS-0002", Kind = TelemetrySample.Device, At = OldHour.AddMinutes(7), StorageFreeMb = 4000 },
            Battery(OldHour.AddMinutes(8), 60, 30, "HS-0003"),
            Battery(Now.AddDays(-1), 90, 30, "HS-0003"));

        await app.RunJobAsync<TelemetryRetentionJob>();

        Count(app, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(1); // the recent one
        Count(app, """SELECT COUNT(*) FROM telemetry_hourly WHERE "HeadsetId" IN ('HS-0001', 'HS-0002', 'HS-0003')""").ShouldBe(4);
        Count(app, """SELECT "Samples" FROM telemetry_hourly WHERE "HeadsetId" = 'HS-0002' AND "Kind" = 'battery'""").ShouldBe(2);
    }

    [Fact]
    public async Task ABatchTakesSeveralHeadsetsAndTheNextGoesOnInsideTheHeadsetWhereItStopped()
    {
        using var app = new FleetApp();
        await AddAsync(app, [
            .. Enumerable.Range(1, 3).Select(i => Battery(OldHour.AddMinutes(i), i, 30, "HS-0001")),
            .. Enumerable.Range(1, 5).Select(i => Battery(OldHour.AddMinutes(i), i, 30, "HS-0002")),
        ]);
        await using var scope = app.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<TelemetryRetentionJob>();

        var first = await job.FoldBatchAsync(5, after: null, CancellationToken.None);
        first.Folded.ShouldBe(5); // HS-0001's three, then two of HS-0002's five
        first.ResumeAfter.ShouldBe(new TelemetryRetentionJob.Series("HS-0001", TelemetrySample.Device));
        var second = await job.FoldBatchAsync(5, first.ResumeAfter, CancellationToken.None);
        second.Folded.ShouldBe(3);
        second.ResumeAfter.ShouldBeNull(); // walked to the last series

        Count(app, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(0);
        Count(app, """SELECT "Samples" FROM telemetry_hourly WHERE "HeadsetId" = 'HS-0002'""").ShouldBe(5);
    }

    [Fact]
    public async Task ABatchLetsAQueuedPersonGoFirstAndTheNextBatchGoesOnFromThere()
    {
        using var app = new FleetApp();
        var headsets = Enumerable.Range(1, 12).Select(i => $"HS-{i:0000}").ToList();
        await AddAsync(app, [.. headsets.SelectMany(h => Enumerable.Range(1, 50).Select(i => Battery(OldHour.AddMinutes(i), i, 30, h)))]);
        await using var blockerScope = app.Services.CreateAsyncScope();
        await using var jobScope = app.Services.CreateAsyncScope();
        await using var personScope = app.Services.CreateAsyncScope();
        var job = jobScope.ServiceProvider.GetRequiredService<TelemetryRetentionJob>();

        // Another background write holds the lock, so the batch queues; once it has the lock, a person queues.
        var blocker = await blockerScope.ServiceProvider.GetRequiredService<Writes>().BeginBackgroundAsync(CancellationToken.None);
        var folding = job.FoldBatchAsync(TelemetryRetentionJob.BatchSize, after: null, CancellationToken.None);
        await blocker.DisposeAsync();
        var person = await personScope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await person.DisposeAsync();

        var first = await folding.WaitAsync(TimeSpan.FromSeconds(10));
        first.Folded.ShouldBeInRange(50, 12 * 50 - 50); // at least a headset's, not all of them
        first.ResumeAfter.ShouldNotBeNull();
        var rest = await job.FoldBatchAsync(TelemetryRetentionJob.BatchSize, first.ResumeAfter, CancellationToken.None);
        (first.Folded + rest.Folded).ShouldBe(12 * 50);
        Count(app, "SELECT COUNT(*) FROM telemetry_samples").ShouldBe(0);
    }

    private static IngestedEvent Key(string type, DateTimeOffset at) => new()
    {
        HeadsetId = "HS-0001", EventId = Guid.NewGuid(), Seq = at.ToUnixTimeSeconds(), Type = type, At = at, StoredAt = at, Data = "",
    };

    private static TelemetrySample Battery(DateTimeOffset at, int percent, double temperature, string headsetId = "HS-0001") => new()
    {
        EventId = Guid.NewGuid(), HeadsetId = headsetId, Kind = TelemetrySample.Battery, At = at, BatteryPercent = percent, Charging = false,
        TemperatureC = temperature, HealthPercent = 95, CycleCount = 100 + percent,
    };

    private static async Task AddAsync(FleetApp app, params object[] rows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }

    private static long Count(FleetApp app, string sql) => Convert.ToInt64(app.Scalar(sql));

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O"));
}
