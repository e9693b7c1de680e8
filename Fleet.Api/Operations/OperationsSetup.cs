using Fleet.Api.Operations.Jobs;
using Quartz;

namespace Fleet.Api.Operations;

public static class OperationsSetup
{
    /// <summary>
    /// The scheduled cycles (tasks, alerts, expiry, forecast, retention). Every job fires every
    /// <c>Fleet:Jobs:IntervalSeconds</c> (60) and works out from the database what is due, so the interval only bounds
    /// how late a change is noticed. <c>Fleet:Jobs:Enabled=false</c> turns off the scheduler and the change listener
    /// (tests call the jobs themselves).
    /// </summary>
    public static IServiceCollection AddFleetOperations(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<Ledger>();
        services.AddScoped<HeadsetReconciler>();
        var schedules = new List<Action<IQuartzBuilder, TimeSpan>>();

        void Job<TJob>() where TJob : class, IFleetJob
        {
            services.AddScoped<TJob>();
            if (typeof(TJob).IsAssignableTo(typeof(HeadsetJob))) services.AddScoped(sp => (HeadsetJob)(object)sp.GetRequiredService<TJob>());
            schedules.Add((q, interval) => q.ScheduleJob<QuartzRun<TJob>>(t => t.WithIdentity(typeof(TJob).Name).StartNow().WithSimpleSchedule(interval)));
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
        services.AddQuartz(q => schedules.ForEach(schedule => schedule(q, interval)));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
