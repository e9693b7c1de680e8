namespace Fleet.Web.Api;

public static class ApiSetup
{
    public const string StreamClient = "fleet-stream";

    /// <summary>Calls made outside a signed-in page (the hospital sign-in asking the API who someone is).</summary>
    public const string PlainClient = "fleet-plain";

    public static IServiceCollection AddFleetApi(this IServiceCollection services, IConfiguration config)
    {
        var baseUrl = new Uri(config["Fleet:ApiBaseUrl"] ?? "http://127.0.0.1:5080");
        services.AddHttpContextAccessor();
        services.AddTransient<ForwardClientAddress>();
        services.AddHttpClient<FleetApiClient>(c =>
        {
            c.BaseAddress = baseUrl;
            c.Timeout = TimeSpan.FromSeconds(30);
        }).AddHttpMessageHandler<ForwardClientAddress>();
        services.AddHttpClient(PlainClient, c =>
        {
            c.BaseAddress = baseUrl;
            c.Timeout = TimeSpan.FromSeconds(30);
        }).AddHttpMessageHandler<ForwardClientAddress>();
        // The live relay holds one long response per open page: no overall timeout.
        services.AddHttpClient(StreamClient, c =>
        {
            c.BaseAddress = baseUrl;
            c.Timeout = Timeout.InfiniteTimeSpan;
        }).AddHttpMessageHandler<ForwardClientAddress>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new Display(TimeProvider.System, config["Fleet:TimeZone"]));
        return services;
    }
}
