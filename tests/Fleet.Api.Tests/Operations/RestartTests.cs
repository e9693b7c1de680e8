using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Time;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

/// <summary>Two API processes one after the other on one data directory, with the scheduler's firings done by hand.</summary>
public sealed class RestartTests
{
    private static async Task FireAllAsync(FleetApp app)
    {
        await app.RunJobAsync<ExpiryJob>();
        await app.RunJobAsync<CleaningDueJob>();
        await app.RunJobAsync<DeepCleanJob>();
        await app.RunJobAsync<LifetimeForecastJob>();
    }

    private static async Task<(int Opened, int Overdue, int Alerts, int Closed)> JobWorkAsync(FleetApp app) =>
        ((await app.AuditAsync("?action=task.opened&limit=5000")).Count, (await app.AuditAsync("?action=task.overdue&limit=5000")).Count,
         (await app.AuditAsync("?action=alert.opened&limit=5000")).Count, (await app.AuditAsync("?action=task.closed&limit=5000")).Count);

    /// <summary>The forecast rows as (how many, the run time they all share).</summary>
    private static (long Rows, string ComputedAt) Forecasts(FleetApp app)
    {
        app.Scalar("""SELECT COUNT(DISTINCT "ComputedAt") FROM lifetime_forecasts""").ShouldBe(1L);
        var first = app.Scalar("""SELECT MIN("ComputedAt") FROM lifetime_forecasts""")!;
        // Text on SQLite, a timestamp on PostgreSQL: compared to the second either way.
        var firstAt = first is string text ? text[..19] : ((DateTime)first).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return ((long)app.Scalar("SELECT COUNT(*) FROM lifetime_forecasts")!, firstAt);
    }

    [Fact]
    public async Task AFiringBeforeARestartIsNotRepeatedAndWorkDueDuringTheDowntimeIsDoneOnceAfterIt()
    {
        using var dir = new TempDirectory();
        var clock = new ManualTimeProvider(); // 08:00 UTC; deep clean at 06:00, cleaning due 30 min after Dirty
        (int Opened, int Overdue, int Alerts, int Closed) before;
        using (var first = new FleetApp(dir.Path, time: clock))
        {
            await FireAllAsync(first);
            (await first.TasksAsync("?kind=cleaning_due&status=open")).Count.ShouldBe(12);
            before = await JobWorkAsync(first);
            before.ShouldBe((14, 2, 0, 0)); // 12 cleanings due at 08:30, 2 deep cleans already late
        }

        using (var restarted = new FleetApp(dir.Path, time: clock))
        {
            await FireAllAsync(restarted);
            (await JobWorkAsync(restarted)).ShouldBe(before);
            Forecasts(restarted).ShouldBe((12 * 4, "2026-11-22T08:00:00")); // 4 dimensions of 12 headsets, from the first run
        }

        clock.Advance(TimeSpan.FromDays(1)); // down until 08:00 the next day
        using var after = new FleetApp(dir.Path, time: clock);
        await FireAllAsync(after);
        await FireAllAsync(after);

        var work = await JobWorkAsync(after);
        work.Opened.ShouldBe(14 + 2);     // the next day's deep cleans, nothing else twice
        work.Overdue.ShouldBe(2 + 12 + 2); // every cleaning went overdue during the downtime: escalated once
        work.Alerts.ShouldBe(12);
        work.Closed.ShouldBe(2);           // yesterday's deep cleans, missed
        (await after.TasksAsync("?kind=cleaning_due&status=overdue")).Count.ShouldBe(12);
        (await after.AlertsAsync("?open=true&kind=cleaning_overdue")).Count.ShouldBe(12);
        Forecasts(after).ShouldBe((12 * 4, "2026-11-23T08:00:00")); // the missed night's run, done once on the first firing
    }
}
