using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Bench;

public sealed record GateSettings(int Seconds, int Rate, int Connections, int Concurrency, int GateHeadsets);

/// <summary>
/// The assignment gate's latency, quiet and while ingestion runs at a target rate, beside an endpoint that does nothing
/// behind the same pipeline in the same process (the baseline). Readiness: GET .../readiness from several loops at
/// once. Assignment: each loop owns a headset and repeats clean (a 1 s product, not timed), POST /sessions, end (timed).
/// </summary>
public sealed class GateBenchmark(GateSettings s, TextWriter report)
{
    private const string Ward = "burns";

    public async Task<int> RunAsync()
    {
        await using var stack = await BenchStack.StartAsync(new Dictionary<string, string> { ["Fleet__Bench__BaselineEndpoint"] = "true" });
        var publishers = await stack.EnrollAsync(s.Connections);
        var gate = (await stack.EnrollAsync(s.GateHeadsets, first: Math.Max(13, s.Connections + 1), ward: Ward)).Select(p => p.HeadsetId).ToList();
        using var scheduler = await stack.ClientAsync("scheduler");
        using var nurse = await stack.ClientAsync("nurse");
        using var infection = await stack.ClientAsync("infection");
        await CreateOneSecondProductAsync(infection);

        report.WriteLine($"# Gate latency benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.WriteLine();
        report.WriteLine($"Hardware: {ProcessStats.Hardware()}. Mosquitto, the API, the publishers and the HTTP clients share this machine.");
        report.WriteLine($"Each measurement runs {s.Seconds} s with {s.Concurrency} client loops at once (readiness over {gate.Count} headsets; assignment: one headset per loop).");
        report.WriteLine("Latency is measured by the client (request sent to answer read). The baseline is `GET /api/v1/bench/baseline`, which does");
        report.WriteLine("nothing behind the same authentication, rate limiting and logging as the gate's endpoints.");
        report.WriteLine();

        // Warm-up (JIT, caches, connection pools), not reported.
        await MeasureAsync(_ => GetAsync(scheduler, "/api/v1/bench/baseline"), 3);
        await MeasureAsync(i => GetAsync(scheduler, $"/api/v1/headsets/{gate[i % gate.Count]}/readiness?sessionMinutes=30"), 3);

        var quiet = await PhaseAsync("No load", stack, scheduler, nurse, gate, null);
        var loaded = await PhaseAsync($"While ingestion is fed {s.Rate:N0} events/s", stack, scheduler, nurse, gate, publishers);

        report.WriteLine("## Against the targets (under load)");
        var ok = true;
        void Check(string what, bool met, string detail)
        {
            ok &= met;
            report.WriteLine($"- {what}: {detail} — {(met ? "met" : "**NOT met**")}");
        }
        Check("readiness p99 under 10 ms", loaded.Readiness.P99 < 10, $"{loaded.Readiness.P99:N1} ms");
        Check("assignment p99 under 50 ms", loaded.Assign.P99 < 50, $"POST /sessions {loaded.Assign.P99:N1} ms, end {loaded.End.P99:N1} ms");
        var ratio = loaded.Readiness.PerSecond / loaded.Baseline.PerSecond;
        Check("readiness throughput at least half the empty endpoint's", ratio >= 0.5, $"{loaded.Readiness.PerSecond:N0}/s vs {loaded.Baseline.PerSecond:N0}/s ({ratio:P0})");
        report.WriteLine($"- ingestion during the loaded phase: {loaded.StoredPerSecond:N0} events/s stored (target rate {s.Rate:N0}/s)");
        report.WriteLine($"- quiet for comparison: readiness p99 {quiet.Readiness.P99:N1} ms, POST /sessions p99 {quiet.Assign.P99:N1} ms, baseline p99 {quiet.Baseline.P99:N1} ms");
        return ok ? 0 : 1;
    }

    private sealed record Stats(double P50, double P99, double PerSecond, int Count, int Failed);

    private sealed record Phase(Stats Baseline, Stats Readiness, Stats Assign, Stats End, double StoredPerSecond);

    private async Task<Phase> PhaseAsync(string title, BenchStack stack, HttpClient scheduler, HttpClient nurse, List<string> gate, List<Publisher>? load)
    {
        report.WriteLine($"## {title}");
        Task<long>? publishing = null;
        var before = await stack.StatsAsync();
        var clock = Stopwatch.StartNew();
        if (load is not null)
        {
            publishing = new LoadPublisher(stack.Broker.Host, stack.Broker.Port, load)
                .RunAsync(TimeSpan.FromSeconds(3 * s.Seconds + 10), s.Rate, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the rate settle before measuring
        }
        var baseline = await MeasureAsync(_ => GetAsync(scheduler, "/api/v1/bench/baseline"), s.Seconds);
        var readiness = await MeasureAsync(i => GetAsync(scheduler, $"/api/v1/headsets/{gate[i % gate.Count]}/readiness?sessionMinutes=30"), s.Seconds);
        var (assign, end) = await AssignmentsAsync(scheduler, nurse, gate);
        var storedPerSecond = ((await stack.StatsAsync()).Stored - before.Stored) / clock.Elapsed.TotalSeconds;
        if (publishing is not null) await publishing;

        Line("baseline (empty endpoint)", baseline);
        Line("readiness", readiness);
        Line("POST /sessions (assign)", assign);
        Line("POST /sessions/{id}/end", end);
        if (load is not null) report.WriteLine($"- ingestion stored {storedPerSecond:N0} events/s while these ran");
        report.WriteLine();
        return new Phase(baseline, readiness, assign, end, storedPerSecond);
    }

    private void Line(string what, Stats x) =>
        report.WriteLine($"- {what}: p50 **{x.P50:N1} ms**, p99 **{x.P99:N1} ms**, {x.PerSecond:N0} requests/s ({x.Count:N0} requests{(x.Failed > 0 ? $", {x.Failed:N0} not as expected" : "")})");

    /// <summary>Runs <paramref name="request"/> from the configured number of loops for the given seconds.</summary>
    private async Task<Stats> MeasureAsync(Func<int, Task<bool>> request, int seconds)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var until = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, s.Concurrency).Select(loop => Task.Run(async () =>
        {
            for (var i = loop; until.Elapsed.TotalSeconds < seconds; i += s.Concurrency)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await request(i)) Interlocked.Increment(ref failed);
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }));
        await Task.WhenAll(loops);
        return Summarise([.. latencies], until.Elapsed, failed);
    }

    /// <summary>Each loop owns one headset: clean it with the 1 s product (not timed), assign it, end the session (both timed).</summary>
    private async Task<(Stats Assign, Stats End)> AssignmentsAsync(HttpClient scheduler, HttpClient nurse, List<string> gate)
    {
        var assign = new ConcurrentBag<double>();
        var end = new ConcurrentBag<double>();
        var failed = 0;
        var until = Stopwatch.StartNew();
        var loops = gate.Take(s.Concurrency).Select((headset, loop) => Task.Run(async () =>
        {
            for (var n = 0; until.Elapsed.TotalSeconds < s.Seconds; n++)
            {
                await CleanAsync(nurse, headset);
                var t = Stopwatch.GetTimestamp();
                var r = await scheduler.PostAsJsonAsync("/api/v1/sessions",
                    new AssignRequest(headset, $"BENCH-{loop}-{n}", Ward, 30, null), FleetJson.Options);
                assign.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (r.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failed);
                    report.WriteLine($"  - assignment of {headset} answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
                    return;
                }
                var session = (await r.Content.ReadFromJsonAsync<SessionView>(FleetJson.Options))!;
                t = Stopwatch.GetTimestamp();
                (await scheduler.PostAsync($"/api/v1/sessions/{session.Id}/end", null)).EnsureSuccessStatusCode();
                end.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }));
        await Task.WhenAll(loops);
        return (Summarise([.. assign], until.Elapsed, failed), Summarise([.. end], until.Elapsed, 0));
    }

    private static async Task CleanAsync(HttpClient nurse, string headset)
    {
        var start = await nurse.PostAsJsonAsync($"/api/v1/headsets/{headset}/cleanings", new StartCleaningRequest("bench-wipe"), FleetJson.Options);
        start.EnsureSuccessStatusCode();
        var started = (await start.Content.ReadFromJsonAsync<CleaningStarted>(FleetJson.Options))!;
        var wait = started.EarliestCompletion - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(20));
        var done = await nurse.PostAsJsonAsync($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null), FleetJson.Options);
        done.EnsureSuccessStatusCode();
    }

    /// <summary>A wipe with the same method as the seeded quat wipe but a 1 s contact time, so a loop is not held by the clock.</summary>
    private static async Task CreateOneSecondProductAsync(HttpClient infection)
    {
        var products = (await infection.GetFromJsonAsync<List<ProductView>>("/api/v1/products", FleetJson.Options))!;
        var method = products.First(p => p.Id == "quat-wipe").Method;
        var r = await infection.PostAsJsonAsync("/api/v1/products", new ProductRequest("bench-wipe", "Bench wipe (1 s)", method, 1, null, true), FleetJson.Options);
        r.EnsureSuccessStatusCode();
    }

    private static async Task<bool> GetAsync(HttpClient http, string url)
    {
        using var r = await http.GetAsync(url);
        await r.Content.LoadIntoBufferAsync();
        return r.IsSuccessStatusCode;
    }

    private static Stats Summarise(List<double> ms, TimeSpan took, int failed)
    {
        ms.Sort();
        double At(double q) => ms.Count == 0 ? double.NaN : ms[Math.Min(ms.Count - 1, (int)(ms.Count * q))];
        return new Stats(At(0.50), At(0.99), ms.Count / took.TotalSeconds, ms.Count, failed);
    }
}
