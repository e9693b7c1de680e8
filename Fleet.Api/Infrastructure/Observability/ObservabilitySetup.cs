using Fleet.Api.Infrastructure.Auth;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fleet.Api.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry: Fleet's meter and spans plus ASP.NET Core, HttpClient and runtime instrumentation. Metrics are
/// scraped from <c>/metrics</c> (Prometheus text, for biomed and admin tokens); with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// set (the standard variable, read by the exporter itself) metrics and traces also go out over OTLP.
/// </summary>
public static class ObservabilitySetup
{
    public static IServiceCollection AddFleetObservability(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<FleetGauges>().AddHostedService(sp => sp.GetRequiredService<FleetGauges>());
        services.AddSingleton<FleetMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet-api", serviceInstanceId: config["Fleet:Mqtt:ClientId"]))
            .WithMetrics(m =>
            {
                m.AddMeter(FleetMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource(FleetMetrics.MeterName).AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation();
                if (otlp) t.AddOtlpExporter();
            });
        return services;
    }

    public static IEndpointRouteBuilder MapFleetMetrics(this IEndpointRouteBuilder app)
    {
        // Counts of headsets, dead letters and EHR backlog are operational facts of a hospital: not for anonymous callers.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Biomed);
        // The gate benchmark's baseline: an endpoint that does nothing behind the same pipeline (auth, limits, logging),
        // so readiness latency is read against what any request costs in the same process. Off unless asked for.
        if (app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("Fleet:Bench:BaselineEndpoint", false))
            app.MapGet("/api/v1/bench/baseline", () => TypedResults.NoContent()).RequireAuthorization(Policies.Read).ExcludeFromDescription();
        return app;
    }
}
