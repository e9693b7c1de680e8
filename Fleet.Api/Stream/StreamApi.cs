using System.Text;
using System.Text.Json;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Authentication;

namespace Fleet.Api.Stream;

/// <summary>
/// <c>GET /api/v1/stream</c>: server-sent events for live pages. Each commit that touched headsets sends one
/// <c>headset</c> event per headset with its fresh summary (the same view <c>GET /api/v1/headsets</c> gives).
/// </summary>
public static class StreamApi
{
    public const string ContentType = "text/event-stream";
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("", "Stream").MapGet("/stream", Stream)
            .Produces(StatusCodes.Status200OK, contentType: ContentType);
        return app;
    }

    private static async Task Stream(HttpContext http, HeadsetChanges changes, IServiceScopeFactory scopes, TimeProvider time)
    {
        // The stream ends when the token that opened it expires, so a signed-out user does not keep receiving changes;
        // the client reconnects and is asked to sign in again.
        var expires = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        using var expiry = expires is { } e
            ? new CancellationTokenSource(Max(e - time.GetUtcNow(), TimeSpan.Zero), time)
            : new CancellationTokenSource();
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry.Token);
        var ct = lifetime.Token;

        var notices = changes.Subscribe(ct, includeOtherInstances: true).GetAsyncEnumerator(ct);
        // Started before the headers go out, so a change made right after the client sees the response is not missed.
        var pending = notices.MoveNextAsync().AsTask();
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var writer = new EventWriter(http.Response);
        // Armed before the first byte goes out, so a client that saw the stream open can rely on the beat.
        var heartbeat = Task.Delay(Heartbeat, time, ct);
        try
        {
            await writer.WriteAsync(": connected\nretry: 3000\n\n", ct);
            while (true)
            {
                if (await Task.WhenAny(pending, heartbeat) != pending)
                {
                    await heartbeat; // throws when the stream is ending
                    await writer.WriteAsync(": heartbeat\n\n", ct);
                    heartbeat = Task.Delay(Heartbeat, time, ct);
                    continue;
                }
                if (!await pending) break;
                var ids = notices.Current.Distinct().ToList();
                pending = notices.MoveNextAsync().AsTask();
                foreach (var changed in await SummariesAsync(scopes, ids, time, ct))
                    await writer.WriteAsync($"event: headset\ndata: {JsonSerializer.Serialize(changed, FleetJson.Options)}\n\n", ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away or the token expired: end the response cleanly.
        }
        finally
        {
            await lifetime.CancelAsync();
            try { await Task.WhenAll(pending, heartbeat); } catch (OperationCanceledException) { }
            await notices.DisposeAsync();
        }
    }

    private static async Task<List<HeadsetChanged>> SummariesAsync(IServiceScopeFactory scopes, IReadOnlyList<string> ids, TimeProvider time, CancellationToken ct)
    {
        // A scope per notice: a fresh DbContext sees the committed state, and nothing is held between notices.
        await using var scope = scopes.CreateAsyncScope();
        var headsets = scope.ServiceProvider.GetRequiredService<HeadsetReadModel>();
        var rates = scope.ServiceProvider.GetRequiredService<UsageRateReader>();
        var now = time.GetUtcNow();
        var usage = await rates.ReadAsync(ids, now, ct);
        var result = new List<HeadsetChanged>(ids.Count);
        foreach (var id in ids)
        {
            if (await headsets.FindAsync(id, track: false, ct) is { } ctx)
                result.Add(new HeadsetChanged(id, HeadsetViews.Summary(ctx, now, usage[id])));
        }
        return result;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class EventWriter(HttpResponse response)
    {
        public async Task WriteAsync(string text, CancellationToken ct)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            await response.Body.FlushAsync(ct);
        }
    }
}
