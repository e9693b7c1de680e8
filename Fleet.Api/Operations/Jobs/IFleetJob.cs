using Quartz;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// A scheduled cycle. Each one reconciles the database with what stored state and the clock say should be true,
/// so running it twice, late, or after a restart neither repeats nor skips work. Tests call <see cref="RunAsync"/>.
/// </summary>
public interface IFleetJob
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>What Quartz fires: a fresh scope per firing, and never two runs of the same job at once.</summary>
[DisallowConcurrentExecution]
internal sealed class QuartzRun<TJob>(TJob job, Infrastructure.Observability.FleetMetrics metrics, ILoggerFactory logs) : IJob where TJob : IFleetJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        // With several instances on one schedule, which instance ran which cycle (debug level: one line per cycle).
        JobLog.Fired(logs.CreateLogger(JobLog.Category), typeof(TJob).Name, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        using var span = Infrastructure.Observability.FleetMetrics.Tracing.StartActivity("job " + typeof(TJob).Name);
        var succeeded = false;
        try
        {
            await job.RunAsync(cancellationToken);
            succeeded = true;
        }
        finally
        {
            metrics.JobRun(typeof(TJob).Name, succeeded);
        }
    }
}

internal static partial class JobLog
{
    public const string Category = "Fleet.Api.Operations.Jobs";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Job} fired for {ScheduledAt:O}")]
    public static partial void Fired(ILogger logger, string job, DateTimeOffset scheduledAt);
}
