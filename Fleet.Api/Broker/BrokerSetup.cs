using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Broker;

public static class BrokerSetup
{
    /// <summary>
    /// MQTT's plumbing: the connection every MQTT feature shares, the broker accounts (enrollment) and the retained
    /// state the API publishes. What travels over it is the features' own: ingestion (Ingestion/) and commands (Commands/).
    /// </summary>
    public static IServiceCollection AddFleetBroker(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<BrokerOptions>(config.GetSection(BrokerOptions.Section));
        services.AddSingleton<DynamicSecurityAccounts>();
        services.AddHostedService<ServiceAccountSetup>();
        services.AddSingleton<BrokerConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<BrokerConnection>());
        services.AddHostedService<StatePublisher>();
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [Infrastructure.Health.HealthSetup.ReadyTag]);
        return services;
    }

    /// <summary>Before the API connects, make sure its own broker account exists (when it can administer the broker).</summary>
    private sealed class ServiceAccountSetup(DynamicSecurityAccounts accounts, ILogger<ServiceAccountSetup> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            if (!accounts.Available) return;
            try
            {
                await accounts.EnsureServiceAccountAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Could not check the API's broker account; ingestion will keep trying to connect");
            }
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class BrokerHealthCheck(BrokerConnection broker, IOptions<BrokerOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(!broker.Enabled ? HealthCheckResult.Healthy("MQTT ingestion is turned off.")
                : broker.IsConnected ? HealthCheckResult.Healthy("Connected to the broker.")
                // The address goes to biomed and admin only (as the exception's text), never to an anonymous caller.
                : HealthCheckResult.Unhealthy("Not connected to the broker: events wait in the headsets' outboxes.",
                    new InvalidOperationException($"No connection to {options.Value.Host}:{options.Value.Port}.")));
    }
}
