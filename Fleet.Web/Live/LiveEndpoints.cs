using System.Net;
using Fleet.Web.Api;
using Fleet.Web.Components.Live;
using Fleet.Web.Session;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Web.Live;

/// <summary>
/// <c>/live</c> relays the API's event stream to the browser with the person's token (the browser's EventSource
/// cannot send one), and <c>/fragments/...</c> render the live parts of pages for wwwroot/live.js to swap in.
/// </summary>
public static class LiveEndpoints
{
    public static IEndpointRouteBuilder MapLiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live", Relay).RequireAuthorization();

        var fragments = app.MapGroup("/fragments").RequireAuthorization();
        fragments.MapGet("/cleaning-queue", (string? ward) =>
            new RazorComponentResult<CleaningQueueList>(new { Ward = ward }));
        fragments.MapGet("/assign-headsets", (string? ward, int? minutes) =>
            new RazorComponentResult<AssignHeadsetList>(new { Ward = ward, Minutes = minutes ?? AssignHeadsetList.DefaultMinutes }));
        fragments.MapGet("/open-sessions", () => new RazorComponentResult<OpenSessionsList>());
        fragments.MapGet("/fleet-table", () => new RazorComponentResult<FleetTable>());
        return app;
    }

    private static async Task Relay(HttpContext http, FleetSession session, IHttpClientFactory clients)
    {
        var api = new FleetApiClient(clients.CreateClient(ApiSetup.StreamClient), session);
        var ct = http.RequestAborted;
        HttpResponseMessage upstream;
        try
        {
            upstream = await api.OpenStreamAsync(ct);
        }
        catch (HttpRequestException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using (upstream)
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            if (upstream.StatusCode == HttpStatusCode.Unauthorized)
            {
                // Tell the page once, then stop: reconnecting with the same token would only be refused again.
                await http.Response.WriteAsync("event: expired\ndata: {}\n\n", ct);
                return;
            }
            if (!upstream.IsSuccessStatusCode)
            {
                http.Response.StatusCode = StatusCodes.Status502BadGateway;
                return;
            }
            await using var source = await upstream.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The page closed.
            }
            catch (IOException)
            {
                // The API went away mid-stream; the browser reconnects.
            }
        }
    }

}
