using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Operations.Jobs;
using Quartz;

namespace Fleet.Api.Operations;

public static class OperationsSetup
{
    /// <summary>
    /// The scheduled cycles (tasks, alerts, expiry, forecast, retention). Every job fires every
    /// <c>Fleet:Jobs:IntervalSeconds</c> (60) and works out from the database what is due, so the interval only bounds
    /// how late a change is noticed. <c>Fleet:Jobs:Enabled=false</c> turns off the scheduler and the change listener
    /// (tests call the jobs themselves). On PostgreSQL the schedule lives in the database (Quartz's ADO job store,
    /// clustered), so with several instances each cycle fires once, on one of them; on SQLite, one instance by design,
    /// it stays in memory.
    /// </summary>
    public static IServiceCollection AddFleetOperations(this IServiceCollection services, IConfiguration config, DatabaseOptions database)
    {
        services.AddScoped<Ledger>();
        services.AddScoped<HeadsetReconciler>();
        var schedules = new List<Action<IQuartzBuilder, TimeSpan>>();

        void Job<TJob>() where TJob : class, IFleetJob
        {
            services.AddScoped<TJob>();
            if (typeof(TJob).IsAssignableTo(typeof(HeadsetJob))) services.AddScoped(sp => (HeadsetJob)(object)sp.GetRequiredService<TJob>());
            schedules.Add((q, interval) => q.ScheduleJob<QuartzRun<TJob>>(
                t => t.WithIdentity(typeof(TJob).Name).StartNow().WithSimpleSchedule(interval),
                j => j.WithIdentity(typeof(TJob).Name)));
        }

        Job<ExpiryJob>();
        Job<CleaningDueJob>();
        Job<FacialInterfaceJob>();
        Job<InspectionJob>();
        Job<OfflineJob>();
        Job<DeviceHealthJob>();
        Job<DeepCleanJob>();
        Job<LifetimeForecastJob>();
        Job<TelemetryRetentionJob>();

        var settings = config.GetSection("Fleet:Jobs");
        if (!settings.GetValue("Enabled", true)) return services;
        var interval = TimeSpan.FromSeconds(settings.GetValue("IntervalSeconds", 60.0));
        services.AddHostedService<ReconcileOnChange>();
        services.AddQuartz(q =>
        {
            if (database.IsPostgres) q.UsePersistentStore(store => UseClusteredStore(store, database.ConnectionString, settings));
            schedules.ForEach(schedule => schedule(q, interval));
        });
        // Every instance declares the same triggers at start; the one declared last replaces the stored one but keeps
        // its firing history, so a restart or a second instance neither re-fires a cycle nor shifts the schedule.
        services.Configure<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// Quartz's own tables (qrtz_*) beside Fleet's, created by Quartz at start when missing (idempotent, safe when
    /// instances start together); its row locks decide which instance fires a trigger, and an instance that stops
    /// checking in has its work taken over by the others.
    /// </summary>
    private static void UseClusteredStore(IPersistentStoreBuilder store, string connectionString, IConfigurationSection settings)
    {
        store.UsePostgres(Npgsql.NpgsqlFactory.Instance, connectionString);
        store.ProvisionSchema();
        store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(settings.GetValue("ClusterCheckinSeconds", 7.5)));
    }
}
