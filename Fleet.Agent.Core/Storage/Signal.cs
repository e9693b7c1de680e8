namespace Fleet.Agent.Core.Storage;

/// <summary>An auto-reset wake-up for one waiting loop: Set before Wait is not lost.</summary>
internal sealed class Signal
{
    private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _tcs).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcs = Volatile.Read(ref _tcs);
        try
        {
            await tcs.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        if (tcs.Task.IsCompleted) Interlocked.CompareExchange(ref _tcs, new(TaskCreationOptions.RunContinuationsAsynchronously), tcs);
    }
}
