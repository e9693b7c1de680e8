using System.Text.Json;
using Fleet.Api.Clinical.Ehr;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Ingestion;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.SystemStatus;

public static class SystemApi
{
    /// <summary>The last hour's ingestion, broker queue, dead letters, jobs, EHR queue and every instance's health.</summary>
    public static IServiceCollection AddFleetSystemStatus(this IServiceCollection services)
    {
        services.AddSingleton<SystemRecorder>();
        services.AddSingleton<InstanceHeartbeat>().AddHostedService(sp => sp.GetRequiredService<InstanceHeartbeat>());
        services.AddSingleton<BrokerStatistics>().AddHostedService(sp => sp.GetRequiredService<BrokerStatistics>());
        return services;
    }

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("", "System").MapGet("/system", Status).RequireAuthorization(Policies.Biomed);
        return app;
    }

    private static async Task<Ok<Contracts.Api.SystemStatus>> Status(FleetDb db, InstanceHeartbeat self, SystemRecorder recorder, BrokerStatistics broker,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var instances = await db.Set<ApiInstance>().AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);

        // This instance's own numbers are taken live, the others' from their last heartbeat (at most ~15 s old).
        var live = recorder.Snapshot();
        var recorded = instances.Where(i => i.Id != self.InstanceId).Select(i => (i.Id,
            Minutes: JsonSerializer.Deserialize<List<MinuteRecord>>(i.Minutes) ?? [], Jobs: JsonSerializer.Deserialize<List<JobRecord>>(i.Jobs) ?? []))
            .Append((Id: self.InstanceId, Minutes: live.Minutes.ToList(), Jobs: live.Jobs.ToList())).ToList();

        var minutes = recorded.SelectMany(i => i.Minutes)
            .Where(m => m.Minute > hourAgo.AddMinutes(-1) && m.Lag.Length == LagHistogram.Buckets)
            .GroupBy(m => m.Minute).OrderBy(g => g.Key)
            .Select(g =>
            {
                var lag = new long[LagHistogram.Buckets];
                foreach (var m in g) for (var b = 0; b < lag.Length; b++) lag[b] += m.Lag[b];
                return new IngestMinute(g.Key, g.Sum(m => m.Stored), LagHistogram.Quantile(lag, 0.5), LagHistogram.Quantile(lag, 0.99));
            }).ToList();

        var jobs = recorded.SelectMany(i => i.Jobs.Select(j => new JobRunView(j.Job, j.Succeeded, j.At, i.Id)))
            .GroupBy(j => j.Job).Select(g => g.MaxBy(j => j.At)!).OrderBy(j => j.Job).ToList();

        // Grouped in the database: the table can hold millions of rows after a bad day.
        var letters = await db.Set<DeadLetter>().AsNoTracking().GroupBy(d => d.Reason)
            .Select(g => new { Reason = g.Key, Total = g.LongCount(), LastHour = g.LongCount(d => d.At >= hourAgo), LatestAt = g.Max(d => d.At) })
            .ToListAsync(ct);

        var pending = db.Set<EhrOutboxItem>().AsNoTracking().Where(o => o.Status == EhrDelivery.Pending);
        var depth = await pending.LongCountAsync(ct);
        var oldest = depth == 0 ? (DateTimeOffset?)null : await pending.OrderBy(o => o.Id).Select(o => (DateTimeOffset?)o.CreatedAt).FirstAsync(ct);
        var rejected = await db.Set<EhrOutboxItem>().LongCountAsync(o => o.Status == EhrDelivery.Rejected, ct);

        return TypedResults.Ok(new Contracts.Api.SystemStatus
        {
            At = now,
            Ingest = minutes,
            Broker = broker.Current,
            DeadLetters = letters.OrderByDescending(l => l.Total).ThenBy(l => l.Reason).Select(l => new DeadLetterCount(l.Reason, l.Total, l.LastHour, l.LatestAt)).ToList(),
            Jobs = jobs,
            Ehr = new EhrQueue(depth, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : null, rejected),
            Instances = instances.Select(i => new InstanceView(i.Id, i.StartedAt, i.LastSeenAt, i.Id == self.InstanceId, i.Status,
                JsonSerializer.Deserialize<List<HealthCheckView>>(i.Checks) ?? [])).ToList(),
        });
    }
}
