using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

/// <summary>
/// Quartz clustered on PostgreSQL: two instances share one schedule, so each cycle fires on one of them, once; and
/// when one dies the other goes on firing every cycle.
/// </summary>
public sealed partial class ScheduledJobsTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly string[] Jobs =
    [
        "ExpiryJob", "CleaningDueJob", "FacialInterfaceJob", "InspectionJob", "OfflineJob", "DeviceHealthJob", "DeepCleanJob",
        "LifetimeForecastJob", "TelemetryRetentionJob",
    ];

    [Fact]
    public async Task EachScheduledCycleFiresOnceAcrossTwoInstancesOnPostgres()
    {
        await using var cluster = await TwoInstances.StartAsync(settings: new Dictionary<string, string>
        {
            ["Fleet__Jobs__Enabled"] = "true",
            ["Fleet__Jobs__IntervalSeconds"] = Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["Fleet__Jobs__ClusterCheckinSeconds"] = "1",
            // Only what this test reads: which instance fired which cycle for which scheduled time.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Fleet.Api.Operations.Jobs"] = "Debug",
        });
        // Until both are ready, the second instance's declaration of the same triggers may replace the stored ones
        // (one early extra run of each idempotent cycle at start); from then on the schedule is the cluster's.
        // The replaced trigger's extra run can land just after both report ready (CI of 6 Dec: 0.21 s apart), so the
        // cluster's schedule is judged from one interval later.
        var ready = DateTimeOffset.UtcNow + Interval;

        List<(string Instance, string Job, DateTimeOffset At)> firings = [];
        await Eventually.Async(() =>
        {
            firings = Firings(cluster).Where(f => f.At > ready).ToList();
            return Task.FromResult(Jobs.All(j => firings.Count(f => f.Job == j) >= 6));
        }, "every job to fire six times", () => Describe(firings), TimeSpan.FromSeconds(120));

        // One schedule, not one per instance: a cycle fired on both would show as two firings closer than the interval
        // (two in-memory schedules started at different moments interleave; started at the same moment they coincide).
        foreach (var job in Jobs)
        {
            var times = firings.Where(f => f.Job == job).Select(f => f.At).Order().ToList();
            for (var i = 1; i < times.Count; i++)
                (times[i] - times[i - 1]).ShouldBeGreaterThanOrEqualTo(Interval * 0.9, $"{job} fired for {times[i - 1]:O} and {times[i]:O}\n{Describe(firings)}");
        }

        // The schedule is the cluster's: with A gone (SIGKILL, no goodbye), B fires every cycle by itself.
        await cluster.A.Process.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Eventually.Async(() =>
        {
            firings = Firings(cluster);
            return Task.FromResult(Jobs.All(j => firings.Count(f => f.Instance == "b" && f.Job == j && f.At > killedAt) >= 2));
        }, "B to fire every job twice after A died", () => Describe(firings), TimeSpan.FromSeconds(90));
    }

    private static List<(string Instance, string Job, DateTimeOffset At)> Firings(TwoInstances cluster) =>
    [
        .. Parse("a", cluster.A.Process.Lines),
        .. Parse("b", cluster.B.Process.Lines),
    ];

    private static IEnumerable<(string, string, DateTimeOffset)> Parse(string instance, IReadOnlyList<string> lines) =>
        lines.Select(l => FiredLine().Match(l)).Where(m => m.Success)
            .Select(m => (instance, m.Groups[1].Value, DateTimeOffset.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));

    private static string Describe(List<(string Instance, string Job, DateTimeOffset At)> firings) =>
        string.Join("\n", firings.OrderBy(f => f.At).Select(f => $"{f.At:HH:mm:ss.fff} {f.Instance} {f.Job}"));

    [GeneratedRegex(@"Job (\w+) fired for (\S+)")]
    private static partial Regex FiredLine();
}
