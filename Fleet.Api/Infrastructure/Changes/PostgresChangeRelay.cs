using System.Text;
using System.Text.Json;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Fleet.Api.Infrastructure.Changes;

/// <summary>
/// Several instances on one PostgreSQL act as one for live pages: each commit sends the ids of the headsets it touched
/// with <c>pg_notify</c> inside its transaction (so the notice exists exactly when the commit does), and every instance
/// LISTENs on one dedicated connection and hands the other instances' notices to its <see cref="HeadsetChanges"/>.
/// PostgreSQL delivers them in commit order, once each. An instance is ready only while it listens; after its listening
/// connection was lost it tells its streams to re-read every headset, since notices sent meanwhile are gone.
/// </summary>
public sealed class PostgresChangeRelay(DatabaseOptions database, HeadsetChanges changes, ILogger<PostgresChangeRelay> log) : BackgroundService
{
    public const string Channel = "fleet_headset_changes";
    // PostgreSQL refuses payloads of 8000 bytes or more; a commit touching more headsets sends several notices.
    private const int MaxPayloadBytes = 7000;
    private volatile bool _listening;

    public bool Listening => _listening;

    public static async Task NotifyAsync(FleetDb db, string origin, IReadOnlyList<string> headsetIds, CancellationToken ct)
    {
        foreach (var payload in Payloads(origin, headsetIds))
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", ct);
    }

    internal static IEnumerable<string> Payloads(string origin, IReadOnlyList<string> headsetIds)
    {
        var batch = new List<string>();
        var bytes = 0;
        foreach (var id in headsetIds)
        {
            var size = Encoding.UTF8.GetByteCount(id) + 4;
            if (batch.Count > 0 && bytes + size > MaxPayloadBytes - 100)
            {
                yield return JsonSerializer.Serialize(new Notice(origin, batch));
                (batch, bytes) = ([], 0);
            }
            batch.Add(id);
            bytes += size;
        }
        if (batch.Count > 0) yield return JsonSerializer.Serialize(new Notice(origin, batch));
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var listenedBefore = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString)
                {
                    // A listening connection only reads: keepalives notice a dead server or a dropped route.
                    KeepAlive = 30,
                    Pooling = false,
                }.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(ct);
                if (listenedBefore) await RereadEverythingAsync(connection, ct);
                _listening = listenedBefore = true;
                log.LogInformation("Listening for the changes of other instances");
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                _listening = false;
                log.LogWarning(e, "Lost the connection that listens for other instances' changes; retrying");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { break; }
            }
        }
        _listening = false;
    }

    private void Receive(string payload)
    {
        Notice? notice;
        try { notice = JsonSerializer.Deserialize<Notice>(payload); }
        catch (JsonException) { notice = null; }
        if (notice is null) { log.LogWarning("Ignored a change notice that is not Fleet's"); return; }
        if (notice.Origin == changes.Origin) return; // this instance told its own subscribers already
        changes.PublishRemote(notice.Ids);
    }

    private async Task RereadEverythingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var ids = new List<string>();
        await using var cmd = new NpgsqlCommand("""SELECT "Id" FROM headsets""", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        changes.PublishRemote(ids);
    }

    internal sealed record Notice(string Origin, IReadOnlyList<string> Ids);

    /// <summary>Readiness: an instance whose streams would miss the other instances' changes takes no traffic.</summary>
    internal sealed class ListeningCheck(PostgresChangeRelay relay) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(relay.Listening
                ? HealthCheckResult.Healthy("Receives the changes other instances commit.")
                : HealthCheckResult.Unhealthy("Does not yet receive the changes other instances commit: live pages would miss them."));
    }
}

public static class ChangesSetup
{
    /// <summary>On PostgreSQL, the relay of other instances' commits to this one's live stream.</summary>
    public static IServiceCollection AddClusterChanges(this IServiceCollection services, DatabaseOptions database)
    {
        if (!database.IsPostgres) return services;
        services.AddSingleton<PostgresChangeRelay>().AddHostedService(sp => sp.GetRequiredService<PostgresChangeRelay>());
        services.AddHealthChecks().AddCheck<PostgresChangeRelay.ListeningCheck>("changes", tags: [HealthSetup.ReadyTag]);
        return services;
    }
}
