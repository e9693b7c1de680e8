using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Api.Tests.Operations;

/// <summary>Firing jobs by hand, reading tasks and alerts, and standing in for the agent ingester.</summary>
public static class JobSteps
{
    /// <summary>One firing, as Quartz would do it: a fresh scope, the job's RunAsync.</summary>
    public static async Task RunJobAsync<TJob>(this FleetApp app) where TJob : IFleetJob
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(CancellationToken.None);
    }

    public static async Task<List<TaskView>> TasksAsync(this FleetApp app, string query = "") =>
        await (await app.ClientAs("nurse")).Get<List<TaskView>>($"/api/v1/tasks{query}");

    public static async Task<List<AlertView>> AlertsAsync(this FleetApp app, string query = "") =>
        await (await app.ClientAs("biomed")).Get<List<AlertView>>($"/api/v1/alerts{query}");

    public static async Task<List<AuditEntryView>> AuditAsync(this FleetApp app, string query) =>
        await (await app.ClientAs("infection")).Get<List<AuditEntryView>>($"/api/v1/audit{query}");

    /// <summary>Changes a headset the way another feature would (the MQTT ingester), in a write of its own.</summary>
    public static async Task ChangeHeadsetAsync(this FleetApp app, string headsetId, Action<Headset> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        await using var write = await scope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(CancellationToken.None);
        change(await db.Headsets.SingleAsync(h => h.Id == headsetId));
        await write.CommitAsync(CancellationToken.None);
    }

    /// <summary>The agent reports in now: what the ingester does on every event.</summary>
    public static Task HeardFromAsync(this FleetApp app, string headsetId) =>
        app.ChangeHeadsetAsync(headsetId, h =>
        {
            h.Telemetry.Online = true;
            h.Telemetry.LastSeenAt = app.Time.GetUtcNow();
        });

    /// <summary>Polls until <paramref name="probe"/> finds something: for work a background listener or the real scheduler does.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found) return found;
            if (clock.Elapsed > within) throw new Shouldly.ShouldAssertException($"Within {within.TotalSeconds} s: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>What the database holds, as opposed to what a view computes from the clock.</summary>
    public static object? Scalar(this FleetApp app, string sql)
    {
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public static string StoredHygiene(this FleetApp app, string headsetId) =>
        (string)app.Scalar($"""SELECT "Hygiene" FROM headsets WHERE "Id" = '{headsetId}'""")!;
}
