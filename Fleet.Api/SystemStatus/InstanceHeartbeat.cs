using System.Text.Json;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Health;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fleet.Api.SystemStatus;

/// <summary>
/// Every <c>Fleet:System:HeartbeatSeconds</c> (15) this instance writes its row in <c>api_instances</c>: when it was
/// last seen, its own /health/ready result, and what <see cref="SystemRecorder"/> holds. The instance is named by its
/// MQTT client id, which must already be unique per instance. Rows are never deleted: a stopped instance stays listed
/// with its last-seen time, which is what someone looking for it needs. Not audited: it changes no clinical record.
/// </summary>
public sealed class InstanceHeartbeat(IServiceScopeFactory scopes, SystemRecorder recorder, HealthCheckService health, TimeProvider time,
    IConfiguration config, IOptions<BrokerOptions> broker, ILogger<InstanceHeartbeat> log) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public string InstanceId { get; } = broker.Value.ClientId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(config.GetValue("Fleet:System:HeartbeatSeconds", 15.0));
        using var timer = new PeriodicTimer(period, time);
        var restored = false;
        do
        {
            try
            {
                if (!restored) restored = await RestoreAsync(stoppingToken);
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Writing this instance's heartbeat failed; it is tried again next period");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<bool> RestoreAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<FleetDb>().Set<ApiInstance>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == InstanceId, ct);
        if (row is not null)
            recorder.Restore(JsonSerializer.Deserialize<List<MinuteRecord>>(row.Minutes) ?? [], JsonSerializer.Deserialize<List<JobRecord>>(row.Jobs) ?? []);
        return true;
    }

    /// <summary>One heartbeat now (the tests call it instead of waiting a period).</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthSetup.ReadyTag), ct);
        // Descriptions only: an exception's text may name hosts and ports, and the page shows every instance's row.
        var checks = report.Entries.Select(e => new HealthCheckView(e.Key, e.Value.Status.ToString(),
            e.Value.Description ?? (e.Value.Status == HealthStatus.Healthy ? "Answers." : "Does not answer."))).ToList();
        var (minutes, jobs) = recorder.Snapshot();

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        await using var write = await scope.ServiceProvider.GetRequiredService<Writes>().BeginBackgroundAsync(ct);
        var row = await db.Set<ApiInstance>().FirstOrDefaultAsync(i => i.Id == InstanceId, ct);
        if (row is null)
        {
            row = new ApiInstance { Id = InstanceId, StartedAt = _startedAt, LastSeenAt = time.GetUtcNow(), Status = "" };
            db.Add(row);
        }
        row.StartedAt = _startedAt;
        row.LastSeenAt = time.GetUtcNow();
        row.Status = report.Status.ToString();
        row.Checks = JsonSerializer.Serialize(checks);
        row.Minutes = JsonSerializer.Serialize(minutes);
        row.Jobs = JsonSerializer.Serialize(jobs);
        await write.CommitAsync(ct);
    }
}
