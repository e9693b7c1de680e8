using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Api.Clinical.Ehr;

public static class EhrSetup
{
    /// <summary>The outbox and its sender, only when an EHR FHIR base URL is configured.</summary>
    public static IServiceCollection AddEhrPush(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(EhrOptions.Section);
        services.Configure<EhrOptions>(section);
        var url = section[nameof(EhrOptions.FhirBaseUrl)];
        if (string.IsNullOrWhiteSpace(url)) return services;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{EhrOptions.Section}:{nameof(EhrOptions.FhirBaseUrl)} must be an absolute http(s) URL, not '{url}'.");

        services.AddSingleton<EhrOutboxSignal>();
        services.AddSingleton<ISaveChangesInterceptor, EhrOutboxInterceptor>();
        var smart = section.GetSection(nameof(EhrOptions.Smart)).Get<SmartOptions>() ?? new SmartOptions();
        smart.Check($"{EhrOptions.Section}:{nameof(EhrOptions.Smart)}");
        var ehr = services.AddHttpClient(EhrOptions.HttpClientName);
        if (smart.Enabled)
        {
            services.AddHttpClient(SmartTokenClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<SmartTokenClient>();
            services.AddTransient<SmartAuthHandler>();
            ehr.AddHttpMessageHandler<SmartAuthHandler>();
        }
        services.AddHostedService<EhrOutboxSender>();
        return services;
    }
}
