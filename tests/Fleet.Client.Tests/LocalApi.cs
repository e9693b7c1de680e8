using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Client.Tests;

/// <summary>A real HTTP server on a free local port, answering with whatever the test maps.</summary>
internal sealed class LocalApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalApi(WebApplication app) => _app = app;

    /// <summary>The address Kestrel bound (port 0 asks the system for a free one).</summary>
    public Uri Address => new(_app.Urls.Single());

    public static async Task<LocalApi> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LocalApi(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
