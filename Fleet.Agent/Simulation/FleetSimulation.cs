using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes.Simulated;
using Fleet.Agent.Core.Storage;
using Fleet.Client;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Simulation;

/// <summary>The figures a simulation ends with (also written as JSON with <c>--summary</c>).</summary>
public sealed record SimulationSummary(
    int Headsets, double Seconds, long EventsProduced, long EventsAcknowledged, long OutboxDepth, long TelemetryThinned,
    double MeasuredSeconds, double EventsPerSecond, double CpuCores, double PeakRssMb, double EndRssMb, double ManagedHeapMb);

/// <summary>
/// <c>Fleet.Agent simulate</c>: N virtual headsets in one process, each a real <see cref="HeadsetAgent"/> with its own
/// credentials (enrolled through the API), its own outbox file and MQTT connection, living a compressed hospital day.
/// </summary>
internal sealed class FleetSimulation(SimulationOptions options, ILoggerFactory loggers, TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);
    private readonly ILogger _log = loggers.CreateLogger("Fleet.Simulator");

    public async Task<SimulationSummary> RunAsync(CancellationToken stop)
    {
        using var api = new StaffClients(options.Api, options.Password);
        Console.WriteLine($"simulate: {options.Headsets} headsets, speed x{options.Speed}, one event per {options.EventInterval.TotalSeconds}s per headset, " +
            $"API {options.Api}, broker {options.BrokerHost}:{options.BrokerPort}, outboxes in {Path.GetFullPath(options.DataDirectory)}");
        var started = Stopwatch.GetTimestamp();
        var staff = new HospitalStaff(api, (await api.Biomed.ModelsAsync(stop)).ToDictionary(m => m.Id), await api.Biomed.ProductsAsync(stop), time);
        var headsets = await EnsureHeadsetsAsync(api.Biomed, stop);
        var passwords = await EnrollAsync(api.Biomed, headsets, stop);

        var fleet = new List<VirtualHeadset>();
        foreach (var h in headsets)
        {
            var device = new SimulatedDevice(SimulatedModel.For(h.ModelId), h.Serial, options.Speed, time, new Random());
            var agent = new HeadsetAgent(AgentOptionsFor(h.Id, passwords[h.Id]), device.Probes, loggers, time);
            agent.ConnectionRefused += code => _log.LogError("{Headset}: the broker refused its credentials ({Code})", h.Id, code);
            await agent.StartAsync(stop);
            fleet.Add(new VirtualHeadset(h.Id, h.ModelId, h.WardId, agent, device, staff, options, new Random(), loggers.CreateLogger("Fleet.Simulator")));
        }

        using var living = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (options.Duration is { } duration) living.CancelAfter(duration);
        var lives = fleet.Select(v => Task.Run(() => v.LiveAsync(living.Token), CancellationToken.None)).ToList();
        var summary = await ReportProgressAsync(fleet, started, living.Token);

        await Task.WhenAll(lives);
        using (var returning = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Task.WhenAll(fleet.Select(v => Quietly(() => v.ReturnAsync(returning.Token))));
        }
        await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (v, _) => await v.Agent.DisposeAsync());
        var totals = Totals(fleet);
        summary = summary with { EventsProduced = totals.LastSeq, EventsAcknowledged = totals.Acknowledged, OutboxDepth = totals.Depth, TelemetryThinned = totals.Thinned };
        Console.WriteLine($"simulate: stopped. {summary.EventsProduced} events produced, {summary.EventsAcknowledged} acknowledged, {summary.OutboxDepth} left in the outboxes; " +
            $"measured over {summary.MeasuredSeconds:0} s: {summary.EventsPerSecond:0.0} events/s, CPU {summary.CpuCores:0.000} cores, peak RSS {summary.PeakRssMb:0} MB");
        if (options.SummaryPath is { } path) await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, FleetJson.Options), CancellationToken.None);
        return summary;
    }

    private AgentOptions AgentOptionsFor(string headsetId, string password)
    {
        var directory = Path.Combine(options.DataDirectory, headsetId);
        var small = options.Headsets <= 50;
        return new AgentOptions
        {
            HeadsetId = headsetId, Password = password, BrokerHost = options.BrokerHost, BrokerPort = options.BrokerPort,
            UseTls = options.UseTls, CaFile = options.CaFile,
            OutboxPath = Path.Combine(directory, "outbox.db"), OutboxDurability = OutboxDurability.Normal, CompactMemory = true,
            // Heartbeat and battery alternate: together one event per interval on average.
            HeartbeatInterval = options.EventInterval * 2, BatteryInterval = options.EventInterval * 2,
            // A status file per headset is what a headset app would read; for a large load run it is only disk traffic.
            StatusFilePath = small ? Path.Combine(directory, "status.json") : null,
            StatusRefreshInterval = small ? TimeSpan.FromSeconds(5) : null,
            DepthLogInterval = null,
            KeepAlive = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The first N headsets that are in service, registering more (models and wards in turn) if the API has fewer.</summary>
    private async Task<List<HeadsetSummary>> EnsureHeadsetsAsync(FleetApiClient biomed, CancellationToken ct)
    {
        var inService = (await biomed.HeadsetsAsync(ct: ct)).Where(h => !h.Retired).ToList();
        var missing = options.Headsets - inService.Count;
        if (missing > 0)
        {
            var models = (await biomed.ModelsAsync(ct)).Select(m => m.Id).ToList();
            var wards = (await biomed.WardsAsync(ct)).Select(w => w.Id).ToList();
            Console.WriteLine($"simulate: registering {missing} more headsets as biomed");
            for (var i = 0; i < missing; i++)
            {
                var tag = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
                await biomed.RegisterHeadsetAsync(new RegisterHeadsetRequest($"SIM-{tag}", $"SIM-{tag}", models[i % models.Count], wards[i % wards.Count]), ct);
            }
            inService = (await biomed.HeadsetsAsync(ct: ct)).Where(h => !h.Retired).ToList();
        }
        return inService.OrderBy(h => h.Id, StringComparer.Ordinal).Take(options.Headsets).ToList();
    }

    /// <summary>Fresh credentials for every headset (enrolling again rotates them), a few at a time.</summary>
    private static async Task<Dictionary<string, string>> EnrollAsync(FleetApiClient biomed, List<HeadsetSummary> headsets, CancellationToken ct)
    {
        var passwords = new Dictionary<string, string>();
        var done = 0;
        await Parallel.ForEachAsync(headsets, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (h, token) =>
        {
            var enrollment = await biomed.EnrollAsync(h.Id, token);
            lock (passwords)
            {
                passwords[h.Id] = enrollment.Password;
                if (++done % 100 == 0 && headsets.Count > 100) Console.WriteLine($"simulate: enrolled {done}/{headsets.Count}");
            }
        });
        Console.WriteLine($"simulate: enrolled {headsets.Count} headsets as biomed (each has its own broker account)");
        return passwords;
    }

    private async Task<SimulationSummary> ReportProgressAsync(List<VirtualHeadset> fleet, long started, CancellationToken living)
    {
        var meter = new ProcessMeter();
        (TimeSpan Cpu, long Ticks, long Events)? window = null;
        var allOnlineAt = 0L;
        try
        {
            while (true)
            {
                await Task.Delay(ProgressInterval, living);
                var online = fleet.Count(v => v.Agent.IsOnline);
                var totals = Totals(fleet);
                var now = Stopwatch.GetTimestamp();
                if (allOnlineAt == 0 && online == fleet.Count) allOnlineAt = now;
                if (window is null && allOnlineAt != 0 && Stopwatch.GetElapsedTime(allOnlineAt, now) >= options.MeasureAfter)
                    window = (meter.Cpu, now, totals.LastSeq);
                var phases = fleet.GroupBy(v => v.Phase).ToDictionary(g => g.Key, g => g.Count());
                var (rss, _) = ProcessMeter.Memory();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sim {Stopwatch.GetElapsedTime(started):hh\\:mm\\:ss} | {fleet.Count} headsets, {online} online | " +
                    $"{phases.GetValueOrDefault(Phase.InSession)} in session, {phases.GetValueOrDefault(Phase.Cleaning)} cleaning, " +
                    $"{phases.GetValueOrDefault(Phase.Inspection)} inspection, {phases.GetValueOrDefault(Phase.Idle)} ready | " +
                    $"events {totals.LastSeq} produced, {totals.Acknowledged} acked, {totals.Depth} in outboxes | " +
                    $"cpu {meter.CoresSinceLast():0.00} cores, rss {rss:0} MB"));
            }
        }
        catch (OperationCanceledException) when (living.IsCancellationRequested)
        {
        }
        var end = Stopwatch.GetTimestamp();
        var (endRss, peak) = ProcessMeter.Memory();
        var last = Totals(fleet);
        var (cpu0, ticks0, events0) = window ?? (TimeSpan.Zero, started, 0L);
        var seconds = Stopwatch.GetElapsedTime(ticks0, end).TotalSeconds;
        return new SimulationSummary(fleet.Count, Stopwatch.GetElapsedTime(started, end).TotalSeconds, last.LastSeq, last.Acknowledged, last.Depth, last.Thinned,
            seconds, (last.LastSeq - events0) / seconds, (meter.Cpu - cpu0).TotalSeconds / seconds, peak, endRss, GC.GetTotalMemory(false) / 1024.0 / 1024);
    }

    private static OutboxCounts Totals(List<VirtualHeadset> fleet)
    {
        long depth = 0, seq = 0, acked = 0, thinned = 0;
        foreach (var v in fleet)
        {
            var c = v.Agent.Outbox;
            (depth, seq, acked, thinned) = (depth + c.Depth, seq + c.LastSeq, acked + c.Acknowledged, thinned + c.Thinned);
        }
        return new OutboxCounts(depth, seq, acked, thinned);
    }

    private static async Task Quietly(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is FleetApiException or HttpRequestException or OperationCanceledException)
        {
        }
    }
}
