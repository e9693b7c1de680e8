using Fleet.Api.Clinical.Ehr;
using Fleet.Api.Headsets;
using Fleet.Api.Ingestion;
using Fleet.Api.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Observability;

/// <summary>
/// The gauges' numbers, read from the database every <c>Fleet:Observability:GaugeSeconds</c> (15 s) instead of on each
/// scrape, so Prometheus and OTLP readers together cost one query round a period whatever their number.
/// </summary>
public sealed class FleetGauges(IServiceScopeFactory scopes, TimeProvider time, IConfiguration config, ILogger<FleetGauges> log) : BackgroundService
{
    public sealed record HeadsetCount(string State, bool Online, long Count);
    public sealed record HeadsetGap(string HeadsetId, long Missing);
    public sealed record Snapshot(IReadOnlyList<HeadsetCount> Headsets, IReadOnlyList<HeadsetGap> Unconfirmed, long EhrDepth, double EhrOldestSeconds);

    public Snapshot Current { get; private set; } = new([], [], 0, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(config.GetValue("Fleet:Observability:GaugeSeconds", 15.0));
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Reading the gauges failed; the last values stay until the next period");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        var headsets = scope.ServiceProvider.GetRequiredService<HeadsetReadModel>();
        var now = time.GetUtcNow();

        var counts = (await headsets.ListAsync(null, track: false, ct))
            .Where(c => !c.Headset.Retired)
            .GroupBy(c => (State: c.Hygiene(now).ToString(), Online: c.Headset.Telemetry.IsOnline(now, c.Policy.OfflineAfter)))
            .Select(g => new HeadsetCount(g.Key.State, g.Key.Online, g.LongCount())).ToList();
        var gaps = (await db.Set<IngestHeadsetStats>().AsNoTracking().ToListAsync(ct))
            .Select(s => new HeadsetGap(s.HeadsetId, SeqRanges.Parse(s.Ranges).MissingCount)).ToList();
        var pending = db.Set<EhrOutboxItem>().AsNoTracking().Where(i => i.Status == EhrDelivery.Pending);
        var depth = await pending.LongCountAsync(ct);
        var oldest = depth == 0 ? (DateTimeOffset?)null : (await pending.Select(i => i.CreatedAt).ToListAsync(ct)).Min();
        Current = new Snapshot(counts, gaps, depth, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0);
    }
}
