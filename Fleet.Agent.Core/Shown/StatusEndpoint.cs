using System.Net;
using System.Text.Json;
using Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Core.Shown;

/// <summary>
/// <c>GET http://127.0.0.1:{port}/status</c> answers the shown state as JSON, for a headset app on the same device.
/// HttpListener, so embedding the agent does not pull in ASP.NET Core. Loopback only.
/// </summary>
public sealed class StatusEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ShownState> _current;
    private readonly ILogger _log;
    private readonly Task _loop;

    public StatusEndpoint(int port, Func<ShownState> current, ILogger log)
    {
        _current = current;
        _log = log;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                var response = context.Response;
                if (context.Request.HttpMethod == "GET" && context.Request.Url?.AbsolutePath == "/status")
                {
                    var body = JsonSerializer.SerializeToUtf8Bytes(_current(), FleetJson.Options);
                    response.ContentType = "application/json";
                    response.Headers["Cache-Control"] = "no-store";
                    await response.OutputStream.WriteAsync(body);
                }
                else
                {
                    response.StatusCode = 404;
                }
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                _log.LogDebug(e, "A status request failed");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
