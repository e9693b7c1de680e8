using Fleet.Client;
using Fleet.Web.Session;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Api;

public static class ApiSetup
{
    public const string ApiClient = "fleet-api";

    public const string StreamClient = "fleet-stream";

    /// <summary>Calls made outside a signed-in page (the hospital sign-in asking the API who someone is).</summary>
    public const string PlainClient = "fleet-plain";

    public static IServiceCollection AddFleetApi(this IServiceCollection services, IConfiguration config)
    {
        var baseUrl = new Uri(config["Fleet:ApiBaseUrl"] ?? "http://127.0.0.1:5080");
        services.AddHttpContextAccessor();
        services.AddTransient<ForwardClientAddress>();
        services.AddHttpClient(ApiClient, c =>
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
        services.AddTransient(sp => AsSignedInPerson(sp, ApiClient, markExpired: true));
        // A 401 on the stream only pauses the live updates (LiveFeed waits for a new token): the person is asked to sign
        // in again when they next act, not while they merely look at the page.
        services.AddKeyedTransient(StreamClient, (sp, _) => AsSignedInPerson(sp, StreamClient, markExpired: false));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new Display(TimeProvider.System, config["Fleet:TimeZone"]));
        return services;
    }

    /// <summary>
    /// The named client's pipeline and settings with the token of this scope's person (a request, or a page's circuit)
    /// in front. It is put in front here rather than added to the factory's pipeline because the factory builds its
    /// handlers in a scope of its own, whose <see cref="FleetSession"/> is nobody's.
    /// </summary>
    private static FleetApiClient AsSignedInPerson(IServiceProvider services, string name, bool markExpired)
    {
        var pipeline = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        var token = new SessionToken(services.GetRequiredService<FleetSession>(), markExpired) { InnerHandler = pipeline };
        // The pipeline is the factory's, pooled and shared by other clients: this one must never dispose it.
        var http = new HttpClient(token, disposeHandler: false);
        foreach (var configure in services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(name).HttpClientActions) configure(http);
        return new FleetApiClient(http);
    }
}
