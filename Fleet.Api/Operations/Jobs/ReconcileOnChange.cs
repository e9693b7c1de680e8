using Fleet.Api.Infrastructure.Changes;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Runs the per-headset jobs for the headsets a commit touched, so a valid cleaning closes its due task and a
/// headset heard from again closes its offline alert within moments instead of at the next periodic firing.
/// Notices that arrive while a run is in progress are merged into the next run.
/// </summary>
internal sealed class ReconcileOnChange(HeadsetChanges changes, IServiceScopeFactory scopes, ILogger<ReconcileOnChange> log) : IHostedService, IDisposable
{
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var notices = changes.Subscribe(_stop.Token).GetAsyncEnumerator(_stop.Token);
        // The first MoveNext registers the subscriber now, before the app takes requests, so no commit goes unseen.
        var first = notices.MoveNextAsync().AsTask();
        _loop = ListenAsync(notices, first);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host that is disposed while stopping (a test's factory torn down twice) may have disposed this first.
        if (_disposed) return;
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private volatile bool _disposed;

    public void Dispose()
    {
        _disposed = true;
        _stop.Dispose();
    }

    private async Task ListenAsync(IAsyncEnumerator<IReadOnlyList<string>> notices, Task<bool> next)
    {
        try
        {
            while (await next)
            {
                var batch = new HashSet<string>(notices.Current, StringComparer.Ordinal);
                // Gather for a moment: under a stream of telemetry every ingest commit is a notice, and reconciling
                // after each one would double the write transactions for no one's benefit.
                await Task.Delay(Gather, _stop.Token);
                next = notices.MoveNextAsync().AsTask();
                while (next.IsCompletedSuccessfully && next.Result)
                {
                    batch.UnionWith(notices.Current);
                    next = notices.MoveNextAsync().AsTask();
                }
                await ReconcileAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            await notices.DisposeAsync();
        }
    }

    private async Task ReconcileAsync(IReadOnlyCollection<string> headsetIds)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var jobs = scope.ServiceProvider.GetServices<HeadsetJob>().ToList();
            await scope.ServiceProvider.GetRequiredService<HeadsetReconciler>().RunAsync(jobs, headsetIds, _stop.Token);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // The periodic run catches up; one failed pass must not stop the listener.
            log.LogWarning(e, "Reconciling tasks and alerts for {Headsets} failed.", string.Join(", ", headsetIds));
        }
    }
}
