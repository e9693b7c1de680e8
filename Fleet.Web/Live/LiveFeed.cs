using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Fleet.Client;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Web.Api;
using Fleet.Web.Session;

namespace Fleet.Web.Live;

public enum LiveState { Starting, Connected, Reconnecting, Expired }

/// <summary>
/// One interactive page's (one circuit's) view of the API's event stream, <c>GET /api/v1/stream</c>, read with the
/// person's token. Changes arriving together (one commit touching several headsets) are handed on as one batch, so a
/// page reloads once; an empty batch means "something may have been missed" (a (re)connect): reload everything.
/// </summary>
public sealed class LiveFeed([FromKeyedServices(ApiSetup.StreamClient)] FleetApiClient stream, FleetSession session, ILogger<LiveFeed> log)
    : IAsyncDisposable
{
    /// <summary>Bursts within this window become one batch.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);

    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<HeadsetChanged?> _changes = Channel.CreateUnbounded<HeadsetChanged?>(new() { SingleReader = true });
    private Task? _reader, _dispatcher;

    public LiveState State { get; private set; } = LiveState.Starting;

    /// <summary>A batch of changes (empty: reload everything).</summary>
    public event Func<IReadOnlyList<HeadsetChanged>, Task>? Changed;

    public event Action? StateChanged;

    /// <summary>Starts listening (once per circuit); pages call it when they become interactive.</summary>
    public void Start()
    {
        if (_reader is not null) return;
        _reader = Task.Run(() => ReadAsync(_stop.Token));
        _dispatcher = Task.Run(() => DispatchAsync(_stop.Token));
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var refused = session.Token;
                using var response = await stream.OpenStreamAsync(ct);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    // Reconnecting with the same token would only be refused again: wait until the person signs in again
                    // (the page asks them when they next act; the indicator says the updates are paused meanwhile).
                    SetState(LiveState.Expired);
                    await WaitForNewTokenAsync(refused, ct);
                    continue;
                }
                response.EnsureSuccessStatusCode();
                SetState(LiveState.Connected);
                delay = TimeSpan.FromSeconds(1);
                _changes.Writer.TryWrite(null); // whatever changed while not listening
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                using var reader = new StreamReader(body);
                string? type = null, data = null;
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (type == "headset" && data is not null) _changes.Writer.TryWrite(Parse(data));
                        type = data = null;
                    }
                    else if (line.StartsWith("event:", StringComparison.Ordinal)) type = line[6..].Trim();
                    else if (line.StartsWith("data:", StringComparison.Ordinal)) data = (data is null ? "" : data + "\n") + line[5..].TrimStart();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or FleetApiException)
            {
                log.LogDebug(e, "The live stream dropped; reconnecting in {Delay}.", delay);
            }
            SetState(LiveState.Reconnecting);
            try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task WaitForNewTokenAsync(string? refused, CancellationToken ct)
    {
        var signedIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged() { if (session.Token != refused) signedIn.TrySetResult(); }
        session.Changed += OnChanged;
        try
        {
            if (session.Token != refused) return;
            await signedIn.Task.WaitAsync(ct);
        }
        finally
        {
            session.Changed -= OnChanged;
        }
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        try
        {
            while (await _changes.Reader.WaitToReadAsync(ct))
            {
                await Task.Delay(Gather, ct);
                var batch = new List<HeadsetChanged>();
                var all = false;
                while (_changes.Reader.TryRead(out var change))
                {
                    if (change is null) all = true; else batch.Add(change);
                }
                if (Changed is { } handlers)
                {
                    foreach (var handler in handlers.GetInvocationList().Cast<Func<IReadOnlyList<HeadsetChanged>, Task>>())
                    {
                        try { await handler(all ? [] : batch); }
                        catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "A live page failed to refresh."); }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit ended.
        }
    }

    private static HeadsetChanged? Parse(string data)
    {
        try { return JsonSerializer.Deserialize<HeadsetChanged>(data, FleetJson.Options); }
        catch (JsonException) { return null; } // unreadable: reload everything rather than miss it
    }

    private void SetState(LiveState state)
    {
        if (State == state) return;
        State = state;
        StateChanged?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _changes.Writer.TryComplete();
        try { await Task.WhenAll(_reader ?? Task.CompletedTask, _dispatcher ?? Task.CompletedTask); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
