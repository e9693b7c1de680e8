namespace Fleet.Api.Ingestion;

public static class IngestionSetup
{
    /// <summary>
    /// Headset events from the broker into the database: the worker that reads them, the processor that validates,
    /// applies and dead-letters them, and the confirmations the agents wait for before they drop an event.
    /// </summary>
    public static IServiceCollection AddFleetIngestion(this IServiceCollection services)
    {
        services.AddScoped<IngestProcessor>();
        services.AddScoped<EventApplier>();
        services.AddScoped<DeadLetterWriter>();
        services.AddSingleton<CommitConfirmations>();
        services.AddHostedService(sp => sp.GetRequiredService<CommitConfirmations>());
        services.AddHostedService<IngestWorker>();
        return services;
    }
}
