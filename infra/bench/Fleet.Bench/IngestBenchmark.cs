using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Processes;

namespace Fleet.Bench;

/// <param name="FullSpeed">Whether to run the phase with publishers at full speed (an overload: the broker queues what the API cannot take).</param>
public sealed record IngestSettings(int Connections, int Seconds, int TargetRate, int Rounds, string Database = "sqlite", int Instances = 1, bool FullSpeed = true);

/// <summary>
/// N publishing connections -> Mosquitto -> API (one or several instances) -> SQLite or PostgreSQL at QoS 1. In the
/// same run, the same publishers and broker feed a plain subscriber (mosquitto_sub at QoS 1) as the baseline. Reports
/// medians and ratios, not single numbers; CPU per event counts the API instances and the database server.
/// </summary>
public sealed class IngestBenchmark(IngestSettings s, TextWriter report)
{
    private const string BaselineUser = "bench-baseline", BaselinePassword = "bench-baseline-password";

    public async Task<int> RunAsync()
    {
        await using var stack = await BenchStack.StartAsync(database: s.Database, instances: s.Instances);
        var (broker, http) = (stack.Broker, stack.Http);
        var headsets = await stack.EnrollAsync(s.Connections);

        await broker.DynamicSecurityAsync("createRole", "bench-baseline");
        await broker.DynamicSecurityAsync("addRoleACL", "bench-baseline", "publishClientSend", "bench/#", "allow");
        await broker.DynamicSecurityAsync("addRoleACL", "bench-baseline", "subscribePattern", "bench/#", "allow");
        await broker.DynamicSecurityAsync("createClient", BaselineUser, "-p", BaselinePassword);
        await broker.DynamicSecurityAsync("addClientRole", BaselineUser, "bench-baseline");

        report.WriteLine($"# Ingest benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.WriteLine();
        report.WriteLine($"Hardware: {ProcessStats.Hardware()}. Everything (publishers, Mosquitto, subscriber) runs on this machine.");
        report.WriteLine($"Load: {s.Connections} publishing connections, QoS 1, contract battery events (~230 bytes), {s.Seconds} s per phase.");
        report.WriteLine($"Fleet: {s.Instances} API instance(s) on {stack.Database.Name}{(s.Instances > 1 ? " (shared subscription)" : "")}; the database keeps every commit durable (SQLite synchronous=FULL, PostgreSQL fsync and synchronous_commit on).");
        report.WriteLine();

        // Warm the API up (JIT, caches) so every measured phase sees the process as it runs in service.
        var warm = await new LoadPublisher(broker.Host, broker.Port, headsets).RunCountAsync(100_000, CancellationToken.None);
        await stack.WaitForStoredAsync(warm);

        double drainRatio = double.NaN, drainBaseline = double.NaN, drainApi = double.NaN;
        if (s.Rounds > 0)
        {
            report.WriteLine("## Draining a queued backlog (no publishers running)");
            report.WriteLine($"Each round queues {Backlog:N0} events for a consumer that is away, then times how fast it empties the queue. Round 0");
            report.WriteLine("warms the API's drain path up (tiered JIT) and is not counted; the plain subscriber and the API alternate in every round,");
            report.WriteLine("so each ratio compares two measurements taken seconds apart.");
            report.WriteLine();
            var drains = new List<(double Baseline, double Api)>();
            for (var round = 0; round <= s.Rounds; round++)
            {
                var b = await DrainBaselineAsync(broker, headsets, round);
                var a = await DrainApiAsync(broker, headsets, http, stack, round);
                if (round > 0) drains.Add((b, a));
            }
            drainBaseline = Median(drains.Select(d => d.Baseline).ToList());
            drainApi = Median(drains.Select(d => d.Api).ToList());
            var drainRatios = drains.Select(d => d.Api / d.Baseline).ToList();
            drainRatio = Median([.. drainRatios]);
            report.WriteLine($"- median over {s.Rounds} rounds: plain subscriber **{drainBaseline:N0} events/s**, Fleet API **{drainApi:N0} events/s** (ratio of the medians {drainApi / drainBaseline:P0}); per-round ratios {string.Join(", ", drainRatios.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))}, median **{drainRatio:P0}**");
            report.WriteLine();
        }
        var baseline = s.FullSpeed ? await BaselineAsync(broker, headsets) : double.NaN;
        var max = s.FullSpeed ? await ApiPhaseAsync("API, publishers at full speed", stack, headsets, 0) : null;
        var target = s.TargetRate > 0 ? await ApiPhaseAsync($"API, publishers held at {s.TargetRate:N0} events/s", stack, headsets, s.TargetRate) : null;

        report.WriteLine();
        if (s.Rounds > 0)
            report.WriteLine($"Ratio, draining a queued backlog, API / plain subscriber: median of the paired rounds **{drainRatio:P0}**, ratio of the medians **{drainApi / drainBaseline:P0}** (target >= 60 %).");
        if (max is not null)
            report.WriteLine($"Ratio, sustained under full-speed publishers on the same 2 cores, API / plain subscriber: **{max.StoredPerSecond / baseline:P0}**.");
        var lossless = (max?.Lost ?? 0) == 0 && (target?.Lost ?? 0) == 0;
        report.WriteLine($"Zero loss: {(lossless ? "yes" : "NO")} (every event the broker acknowledged was stored exactly once).");
        if (!lossless)
        {
            // What the API instances said (warnings and errors), to tell a stall in the API from one in the broker.
            foreach (var api in stack.Apis)
            {
                report.WriteLine();
                report.WriteLine($"Last lines of {api.Name}'s log:");
                report.WriteLine("```");
                foreach (var line in api.Lines.TakeLast(40)) report.WriteLine(line);
                report.WriteLine("```");
            }
            report.WriteLine();
            report.WriteLine("The broker's log about the API's connections:");
            report.WriteLine("```");
            foreach (var line in broker.Log.Split('\n').Where(l => l.Contains("fleet-api", StringComparison.Ordinal)).TakeLast(40)) report.WriteLine(line);
            report.WriteLine("```");
        }
        return lossless ? 0 : 1;
    }

    private const int Backlog = 200_000;

    /// <summary>
    /// The same backlog queued for a subscriber that is away, then drained: measures the consumer alone, without
    /// publishers competing for the same two cores.
    /// </summary>
    private async Task<double> DrainBaselineAsync(MosquittoBroker broker, IReadOnlyList<Publisher> headsets, int round)
    {
        var session = $"bench-drain-sub-{round}";
        string[] SubArgs(params string[] extra) => ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-u", BaselineUser,
            "-P", BaselinePassword, "-q", "1", "-t", "bench/v1/drain/+/events", "-i", session, "-c", .. extra];
        // Register the persistent session, then leave.
        using (var first = Process.Start(new ProcessStartInfo("mosquitto_sub", SubArgs("-W", "1")) { RedirectStandardOutput = true, RedirectStandardError = true })!)
            await first.WaitForExitAsync();
        var publishers = headsets.Select(h => new Publisher(h.HeadsetId, BaselineUser, BaselinePassword, $"bench/v1/drain/{h.HeadsetId}/events")).ToList();
        var queued = await new LoadPublisher(broker.Host, broker.Port, publishers).RunCountAsync(Backlog, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        using var sub = Process.Start(new ProcessStartInfo("mosquitto_sub", SubArgs("-C", queued.ToString(CultureInfo.InvariantCulture)))
        { RedirectStandardOutput = true, UseShellExecute = false })!;
        long lines = 0;
        while (await sub.StandardOutput.ReadLineAsync() is not null) lines++;
        await sub.WaitForExitAsync();
        var rate = lines / clock.Elapsed.TotalSeconds;
        report.WriteLine($"- round {Round(round)}, plain subscriber (mosquitto_sub -q 1, persistent session): {lines:N0} of {queued:N0} in {clock.Elapsed.TotalSeconds:N2} s = {rate:N0} events/s");
        return rate;
    }

    /// <summary>
    /// The API's broker account is disabled (which disconnects it), the backlog is queued for its persistent session,
    /// and the account is enabled again; the clock runs from the first event stored to the last, so the API's
    /// reconnect back-off is not counted. The process stays up and warm throughout.
    /// </summary>
    private async Task<double> DrainApiAsync(MosquittoBroker broker, IReadOnlyList<Publisher> headsets, HttpClient http, BenchStack stack, int round)
    {
        var before = (await StatsAsync(http)).Stored;
        foreach (var user in stack.ApiUsers) await broker.DynamicSecurityAsync("disableClient", user);
        var queued = await new LoadPublisher(broker.Host, broker.Port, headsets).RunCountAsync(Backlog, CancellationToken.None);
        foreach (var user in stack.ApiUsers) await broker.DynamicSecurityAsync("enableClient", user);
        long stored;
        while ((await StatsAsync(http)).Stored == before) await Task.Delay(20);
        var clock = Stopwatch.StartNew();
        var cpuBefore = stack.CpuSeconds();
        while ((stored = (await StatsAsync(http)).Stored - before) < queued && clock.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(50);
        var rate = stored / clock.Elapsed.TotalSeconds;
        var cpuPerEvent = (stack.CpuSeconds() - cpuBefore) * 1e6 / Math.Max(1, stored);
        report.WriteLine($"- round {Round(round)}, Fleet API (account disabled, backlog queued for its persistent session, enabled): {stored:N0} of {queued:N0} in {clock.Elapsed.TotalSeconds:N2} s = {rate:N0} events/s, {cpuPerEvent:N1} µs of CPU (API and database) per event");
        return rate;
    }

    private static string Round(int round) => round == 0 ? "0 (warm-up, not counted)" : round.ToString(CultureInfo.InvariantCulture);


    private async Task<double> BaselineAsync(MosquittoBroker broker, IReadOnlyList<Publisher> headsets)
    {
        var lines = 0L;
        var psi = new ProcessStartInfo("mosquitto_sub")
        {
            ArgumentList = { "-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-u", BaselineUser, "-P", BaselinePassword,
                "-q", "1", "-t", "bench/v1/headsets/+/events", "-i", "bench-baseline-sub" },
            RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var sub = Process.Start(psi)!;
        var reading = Task.Run(async () => { while (await sub.StandardOutput.ReadLineAsync() is not null) Interlocked.Increment(ref lines); });
        await Task.Delay(500);
        var publishers = headsets.Select(h => new Publisher(h.HeadsetId, BaselineUser, BaselinePassword, $"bench/v1/headsets/{h.HeadsetId}/events")).ToList();
        var load = new LoadPublisher(broker.Host, broker.Port, publishers);
        var samples = new List<double>();
        var publishing = load.RunAsync(TimeSpan.FromSeconds(s.Seconds), 0, CancellationToken.None);
        var last = 0L;
        while (!publishing.IsCompleted)
        {
            await Task.WhenAny(publishing, Task.Delay(1000));
            var now = Interlocked.Read(ref lines);
            samples.Add(now - last);
            last = now;
        }
        var published = await publishing;
        await Task.Delay(2000);
        sub.Kill();
        await reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        var median = Median(samples.Skip(2).SkipLast(1).ToList());
        var windowRate = samples.Sum() / (double)s.Seconds;
        report.WriteLine("## Sustained: full-speed publishers and the consumer on the same 2 cores");
        report.WriteLine($"- plain subscriber (mosquitto_sub -q 1): publishers got {published:N0} acknowledged in {s.Seconds} s ({published / (double)s.Seconds:N0}/s); mosquitto_sub received **{windowRate:N0} events/s** over the window (median of per-second samples {median:N0})");
        return windowRate;
    }

    private async Task<PhaseResult> ApiPhaseAsync(string title, BenchStack stack, IReadOnlyList<Publisher> headsets, int rate)
    {
        var http = stack.Http;
        var before = await StatsAsync(http);
        var bytesBefore = stack.Database.Bytes(stack.DataDirectory);
        var phaseStart = DateTimeOffset.UtcNow;
        var cpuBefore = stack.CpuSeconds();
        var wall = Stopwatch.StartNew();
        var load = new LoadPublisher(stack.Broker.Host, stack.Broker.Port, headsets);
        var publishing = load.RunAsync(TimeSpan.FromSeconds(s.Seconds), rate, CancellationToken.None);
        var samples = new List<double>();
        var last = before.Stored;
        while (!publishing.IsCompleted)
        {
            await Task.WhenAny(publishing, Task.Delay(1000));
            var now = (await StatsAsync(http)).Stored;
            samples.Add(now - last);
            last = now;
        }
        var published = await publishing;
        var storedInWindow = (await StatsAsync(http)).Stored - before.Stored;
        var drain = Stopwatch.StartNew();
        IngestStats after;
        while ((after = await StatsAsync(http)).Stored - before.Stored < published && drain.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(250);
        var stored = after.Stored - before.Stored;
        // Every event of the phase, including the backlog drained after publishing stopped: the cost of each event.
        var cpuSeconds = stack.CpuSeconds() - cpuBefore;
        var cores = cpuSeconds / wall.Elapsed.TotalSeconds;
        var latencies = stack.Database.Latencies(stack.DataDirectory, phaseStart);
        var bytesPerEvent = (stack.Database.Bytes(stack.DataDirectory) - bytesBefore) / (double)Math.Max(1, stored);
        var result = new PhaseResult(storedInWindow / (double)s.Seconds, published - stored);

        report.WriteLine($"- {title}: publishers got {published:N0} acknowledged ({published / (double)s.Seconds:N0}/s); the API stored **{result.StoredPerSecond:N0} events/s** over the {s.Seconds} s window (median of per-second samples {Median(samples.Skip(2).SkipLast(1).ToList()):N0})");
        report.WriteLine($"  - backlog drained {drain.Elapsed.TotalSeconds:N1} s after publishing stopped; stored in all: {stored:N0}; lost: {published - stored:N0}; duplicates counted: {after.Duplicates - before.Duplicates:N0}; dead-lettered: {after.DeadLettered - before.DeadLettered:N0}");
        report.WriteLine($"  - publish-to-commit latency p50 **{Quantile(latencies, 0.50):N0} ms**, p99 **{Quantile(latencies, 0.99):N0} ms** (event `at` to `StoredAt`, every event of the phase)");
        report.WriteLine($"  - CPU (API instances and database server) {cores:N2} cores of {Environment.ProcessorCount}, **{cpuSeconds * 1e6 / Math.Max(1, stored):N1} µs per event**; database growth **{bytesPerEvent:N0} bytes per event**; API peak memory (VmHWM) {string.Join(", ", stack.Apis.Select(a => ProcessStats.PeakMemoryMiB(a.Id).ToString("N0", CultureInfo.InvariantCulture)))} MiB");
        report.WriteLine();
        return result;
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];

    private static async Task<IngestStats> StatsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<IngestStats>("/api/v1/ingest/stats", FleetJson.Options))!;

    private static double Median(List<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        xs.Sort();
        return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
    }

    private sealed record PhaseResult(double StoredPerSecond, long Lost);

}
