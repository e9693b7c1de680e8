using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Bench;

public sealed record GateSettings(int Seconds, int Rate, int Connections, int Concurrency, int Nice, IReadOnlyList<string> ApiSettings)
{
    /// <summary>Headsets each assignment loop owns: cleaned together (one wait for the contact time), then assigned one by one.</summary>
    public const int HeadsetsPerLoop = 6;

    public int GateHeadsets => Concurrency * HeadsetsPerLoop;
}

/// <summary>
/// The assignment gate's latency, quiet and while ingestion runs at a target rate, beside an endpoint that does nothing
/// behind the same pipeline in the same process (the baseline). Readiness: GET .../readiness from several loops at
/// once. Assignment: each loop owns a few headsets, cleans them together (a 1 s product, not timed), then assigns and
/// ends a session on each (timed). The load comes from a separate, niced process (see <see cref="PublisherProcess"/>).
/// </summary>
public sealed class GateBenchmark(GateSettings s, TextWriter report)
{
    private const string Ward = "burns";

    public async Task<int> RunAsync()
    {
        var settings = new Dictionary<string, string> { ["Fleet__Bench__BaselineEndpoint"] = "true" };
        foreach (var pair in s.ApiSettings) settings[pair.Split('=', 2)[0].Replace(":", "__")] = pair.Split('=', 2)[1];
        await using var stack = await BenchStack.StartAsync(settings);
        var publishers = await stack.EnrollAsync(s.Connections);
        var gate = (await stack.EnrollAsync(s.GateHeadsets, first: Math.Max(13, s.Connections + 1), ward: Ward)).Select(p => p.HeadsetId).ToList();
        using var scheduler = await stack.ClientAsync("scheduler");
        using var nurse = await stack.ClientAsync("nurse");
        using var infection = await stack.ClientAsync("infection");
        await CreateOneSecondProductAsync(infection);

        report.WriteLine($"# Gate latency benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.WriteLine();
        report.WriteLine($"Hardware: {ProcessStats.Hardware()}. Mosquitto, the API, the publishers and the HTTP clients share this machine.");
        report.WriteLine($"Each measurement runs {s.Seconds} s with {s.Concurrency} client loops at once (readiness over {gate.Count} headsets; assignment: {GateSettings.HeadsetsPerLoop} headsets per loop).");
        report.WriteLine($"The load (events over {s.Connections} MQTT connections) comes from a separate process at nice {s.Nice}: it stands in for headsets on the");
        report.WriteLine("network, which bring their own CPUs. It writes MQTT 5 QoS 1 packets straight to its sockets (MQTTnet's packet formatter, no");
        report.WriteLine("client library) and every ~2 ms tops each connection up to its share of the rate, in one socket write per connection,");
        report.WriteLine($"with at most {LoadPublisher.MaxInFlight} unacknowledged per connection. Mosquitto, the API and the measuring client run at normal priority.");
        report.WriteLine(s.ApiSettings.Count > 0 ? $"API settings changed from the defaults for this run: {string.Join(", ", s.ApiSettings)}." : "API settings: the defaults.");
        report.WriteLine("Latency is measured by the client (request sent to answer read). The baseline is `GET /api/v1/bench/baseline`, which does");
        report.WriteLine("nothing behind the same authentication, rate limiting and logging as the gate's endpoints.");
        report.WriteLine();

        // Warm-up (JIT, caches, connection pools), not reported.
        await MeasureAsync(_ => GetAsync(scheduler, "/api/v1/bench/baseline"), 3);
        await MeasureAsync(i => GetAsync(scheduler, $"/api/v1/headsets/{gate[i % gate.Count]}/readiness?sessionMinutes=30"), 3);
        await AssignmentsAsync(scheduler, nurse, gate, 3);

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
        Check("assignment p99 under 50 ms", loaded.Assign.P99 < 50 && loaded.End.P99 < 50, $"POST /sessions {loaded.Assign.P99:N1} ms, end {loaded.End.P99:N1} ms");
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
        Task<(long Acked, double CpuSeconds)>? publishing = null;
        if (load is not null)
        {
            publishing = PublisherProcess.RunAsync(stack.Broker.Host, stack.Broker.Port, load, TimeSpan.FromSeconds(3 * s.Seconds + 12), s.Rate, s.Nice);
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the rate settle before measuring
        }
        var before = await stack.StatsAsync();
        var metricsBefore = await ScrapeAsync(stack);
        var cpu = new CpuAccount(new Dictionary<string, int> { ["API"] = stack.Api.Id, ["Mosquitto"] = stack.Broker.ProcessId!.Value, ["measuring client"] = Environment.ProcessId });
        var clock = Stopwatch.StartNew();
        var baseline = await MeasureAsync(_ => GetAsync(scheduler, "/api/v1/bench/baseline"), s.Seconds);
        var readiness = await MeasureAsync(i => GetAsync(scheduler, $"/api/v1/headsets/{gate[i % gate.Count]}/readiness?sessionMinutes=30"), s.Seconds);
        var (assign, end) = await AssignmentsAsync(scheduler, nurse, gate, s.Seconds);
        var storedPerSecond = ((await stack.StatsAsync()).Stored - before.Stored) / clock.Elapsed.TotalSeconds;
        var cpuLine = cpu.Line();
        var metricsAfter = await ScrapeAsync(stack);
        var seconds = clock.Elapsed.TotalSeconds;
        if (publishing is not null)
        {
            var (acked, publisherCpu) = await publishing;
            report.WriteLine($"- the load process had {acked:N0} events acknowledged, using {publisherCpu / (3 * s.Seconds + 12):N2} cores on average at nice {s.Nice}");
        }
        report.WriteLine($"- CPU while measuring: {cpuLine}");
        report.WriteLine($"- inside the API: {Inside(metricsBefore, metricsAfter, seconds)}");

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

    /// <summary>
    /// Each loop owns <see cref="GateSettings.HeadsetsPerLoop"/> headsets: cleans them with the 1 s product (not timed),
    /// then assigns each and ends its session (both timed).
    /// </summary>
    private async Task<(Stats Assign, Stats End)> AssignmentsAsync(HttpClient scheduler, HttpClient nurse, List<string> gate, int seconds)
    {
        var assign = new ConcurrentBag<double>();
        var end = new ConcurrentBag<double>();
        var failed = 0;
        var until = Stopwatch.StartNew();
        var loops = gate.Chunk(GateSettings.HeadsetsPerLoop).Take(s.Concurrency).Select(owned => Task.Run(async () =>
        {
            for (var n = 0; until.Elapsed.TotalSeconds < seconds; n++)
            {
                await CleanAsync(nurse, owned);
                foreach (var headset in owned)
                {
                    var t = Stopwatch.GetTimestamp();
                    var r = await scheduler.PostAsJsonAsync("/api/v1/sessions",
                        new AssignRequest(headset, $"BENCH-{headset}-{n}", Ward, 30, null), FleetJson.Options);
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
            }
        }));
        await Task.WhenAll(loops);
        return (Summarise([.. assign], until.Elapsed, failed), Summarise([.. end], until.Elapsed, 0));
    }

    private static async Task CleanAsync(HttpClient nurse, IEnumerable<string> headsets)
    {
        var started = new List<CleaningStarted>();
        foreach (var headset in headsets)
        {
            var start = await nurse.PostAsJsonAsync($"/api/v1/headsets/{headset}/cleanings", new StartCleaningRequest("bench-wipe"), FleetJson.Options);
            start.EnsureSuccessStatusCode();
            started.Add((await start.Content.ReadFromJsonAsync<CleaningStarted>(FleetJson.Options))!);
        }
        var wait = started.Max(c => c.EarliestCompletion) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(20));
        foreach (var c in started)
        {
            var done = await nurse.PostAsJsonAsync($"/api/v1/cleanings/{c.Id}/complete", new CompleteCleaningRequest(false, null), FleetJson.Options);
            done.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The API's own metrics (Prometheus text, read as biomed), summed over their labels.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(BenchStack stack)
    {
        using var biomed = await stack.ClientAsync("biomed");
        var text = await biomed.GetStringAsync("/metrics");
        var sums = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var valueStart = line.LastIndexOf(' ');
            if (nameEnd <= 0 || valueStart <= nameEnd) continue;
            var value = line[(valueStart + 1)..];
            // Histogram buckets are cumulative per label set; only _sum and _count are summed here, except the person's
            // write buckets, kept as "person:NAME_bucket:LE" to count the slow ones.
            if (line.AsSpan(0, nameEnd).EndsWith("_bucket"))
            {
                if (line.Contains("priority=\"person\"", StringComparison.Ordinal) && line.IndexOf("le=\"", StringComparison.Ordinal) is var le and > 0
                    && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
                {
                    var key = $"person:{line[..nameEnd]}:{line[(le + 4)..line.IndexOf('"', le + 4)]}";
                    sums[key] = sums.GetValueOrDefault(key) + count;
                }
                continue;
            }
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                sums[line[..nameEnd]] = sums.GetValueOrDefault(line[..nameEnd]) + v;
                // A person's writes apart from ingestion's: "fleet_writes_..._sum" of the person series is also kept as "person:fleet_writes_..._sum".
                if (line.Contains("priority=\"person\"", StringComparison.Ordinal))
                    sums["person:" + line[..nameEnd]] = sums.GetValueOrDefault("person:" + line[..nameEnd]) + v;
            }
            else if (line.LastIndexOf(' ', valueStart - 1) is var prev and > 0 && double.TryParse(line[(prev + 1)..valueStart], NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                sums[line[..nameEnd]] = sums.GetValueOrDefault(line[..nameEnd]) + v; // "value timestamp"
        }
        return sums;
    }

    /// <summary>Where the API's time went between two scrapes: ingestion batches (the write lock they hold) and GC pauses.</summary>
    private static string Inside(Dictionary<string, double> a, Dictionary<string, double> b, double seconds)
    {
        double D(string name) => b.GetValueOrDefault(name) - a.GetValueOrDefault(name);
        var batches = D("fleet_ingest_batch_size_count");
        var messages = D("fleet_ingest_batch_size_sum");
        var commit = D("fleet_ingest_commit_duration_seconds_sum");
        var gcPause = D("dotnet_gc_pause_time_seconds_total");
        var gcs = D("dotnet_gc_collections_total");
        var writes = Writes(a, b);
        return batches <= 0
            ? $"no ingestion batches; GC paused {gcPause / seconds:P1} of the time ({gcs:N0} collections); {writes}"
            : $"{batches / seconds:N1} ingestion batches/s of {messages / batches:N0} messages on average, each holding the write lock "
              + $"{commit / batches * 1000:N1} ms on average ({commit / seconds:P0} of the time); GC paused {gcPause / seconds:P1} of the time "
              + $"({gcs:N0} collections, {gcPause / Math.Max(1, gcs) * 1000:N1} ms each on average); {writes}";
    }

    /// <summary>A person's write (assign, end, clean) on average: queued for the write lock, holding it, and committing.</summary>
    private static string Writes(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double Mean(string name) => (b.GetValueOrDefault(name + "_sum") - a.GetValueOrDefault(name + "_sum"))
            / Math.Max(1, b.GetValueOrDefault(name + "_count") - a.GetValueOrDefault(name + "_count")) * 1000;
        // How many waited or held longer than 25 and 50 ms: whether the slowest requests were slow at the lock or elsewhere.
        string Over(string name)
        {
            double D(string key) => b.GetValueOrDefault(key) - a.GetValueOrDefault(key);
            var all = D($"person:{name}_count");
            return $"{all - D($"person:{name}_bucket:0.025"):N0} over 25 ms and {all - D($"person:{name}_bucket:0.05"):N0} over 50 ms of {all:N0}";
        }
        return $"a person's write on average waited {Mean("person:fleet_writes_lock_wait_seconds"):N1} ms for the write lock, held it "
            + $"{Mean("person:fleet_writes_lock_held_seconds"):N1} ms, of which the commit {Mean("person:fleet_writes_commit_duration_seconds"):N1} ms "
            + $"(waited: {Over("fleet_writes_lock_wait_seconds")}; held: {Over("fleet_writes_lock_held_seconds")})";
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
