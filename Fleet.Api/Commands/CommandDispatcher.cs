using System.Text.Json;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Commands;

/// <summary>
/// Publishes stored commands that have not been published and have not expired. A command issued while the broker is
/// down goes out when it is back, unless it expired meanwhile (agents drop expired commands anyway).
/// </summary>
public sealed class CommandDispatcher(BrokerConnection broker, IServiceScopeFactory scopes, IOptions<BrokerOptions> options,
    TimeProvider time, ILogger<CommandDispatcher> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!broker.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
            if (!broker.IsConnected) continue;
            try
            {
                await DispatchAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Publishing commands failed; will retry");
            }
        }
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        var now = time.GetUtcNow();
        var due = await db.Set<HeadsetCommand>().AsNoTracking().Where(c => c.PublishedAt == null && c.ExpiresAt > now).OrderBy(c => c.IssuedAt).Take(500).ToListAsync(ct);
        foreach (var c in due)
        {
            // The MQTT 5 message expiry lets the broker drop a command queued for an offline headset once it is stale;
            // the agent checks expiresAt in the payload as well (MQTT 3.1.1 clients have no message expiry).
            await broker.PublishAsync(options.Value.Topics.Commands(c.HeadsetId), JsonSerializer.SerializeToUtf8Bytes(CommandsApi.ToMessage(c), FleetJson.Options),
                retain: false, ct, expiry: c.ExpiresAt - now);
            await using var write = await scope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(ct);
            var stored = await db.Set<HeadsetCommand>().FindAsync([c.Id], ct);
            stored!.PublishedAt = time.GetUtcNow();
            await write.CommitAsync(ct);
        }
    }
}
