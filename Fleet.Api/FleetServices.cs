using Fleet.Api.Cleaning;
using Fleet.Api.Flags;
using Fleet.Api.Headsets;
using Fleet.Api.Sessions;
using Fleet.Contracts;
using Microsoft.AspNetCore.Http.Json;

namespace Fleet.Api;

public static class FleetServices
{
    /// <summary>The application services each feature folder offers to endpoints and to the MQTT ingester.</summary>
    public static IServiceCollection AddFleetFeatures(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Infrastructure.Changes.HeadsetChanges>();
        services.Configure<JsonOptions>(o =>
        {
            foreach (var c in FleetJson.Options.Converters) o.SerializerOptions.Converters.Add(c);
            o.SerializerOptions.DefaultIgnoreCondition = FleetJson.Options.DefaultIgnoreCondition;
            o.SerializerOptions.Converters.Add(new Infrastructure.Problems.TextConverter());
        });
        services.AddScoped<HeadsetReadModel>();
        services.AddSingleton<HeadsetSnapshots>();
        services.AddScoped<UsageRateReader>();
        services.AddScoped<IBatteryCycleHistory, Telemetry.BatteryCycleHistory>();
        services.AddScoped<CleaningService>();
        services.AddScoped<SessionService>();
        services.AddScoped<FlagService>();
        return services;
    }
}
