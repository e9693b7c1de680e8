using Fleet.Domain;
using Fleet.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Fleet.Api.Infrastructure.Health;

public static class HealthSetup
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddFleetHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<FleetDb>("database", tags: [ReadyTag])
            .AddCheck<SchedulerCheck>("scheduler", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// Liveness checks nothing but the process; readiness checks what requests need (database, broker, scheduler).
    /// Every caller sees each check's status and a sentence saying what is wrong; only biomed and admin see the
    /// exception's text, which may name hosts and ports.
    /// </summary>
    public static IEndpointRouteBuilder MapFleetHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = async (http, report) =>
            {
                var staff = http.User.IsInRole(Roles.Biomed) || http.User.IsInRole(Roles.Admin);
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new
                    {
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description ?? (e.Value.Status == HealthStatus.Healthy ? "Answers." : "Does not answer."),
                        error = staff ? e.Value.Exception?.Message : null,
                    }),
                });
            },
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The scheduler runs the hygiene cycles (due, expiry, deep clean): readiness fails if it stopped.</summary>
    private sealed class SchedulerCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            // Fleet:Jobs:Enabled=false registers no scheduler (tests run the jobs themselves).
            if (services.GetService<ISchedulerFactory>() is not { } schedulers) return HealthCheckResult.Healthy("Scheduled jobs are turned off.");
            var scheduler = await schedulers.GetScheduler(ct);
            return await scheduler.GetStatus(ct) switch
            {
                SchedulerStatus.Running => HealthCheckResult.Healthy("The scheduler runs the cleaning cycles."),
                SchedulerStatus.Created or SchedulerStatus.Standby => HealthCheckResult.Degraded("The scheduler is not running yet: cleaning cycles wait."),
                _ => HealthCheckResult.Unhealthy("The scheduler has stopped: cleaning cycles do not run."),
            };
        }
    }
}
