namespace Fleet.Messaging.Tests.Support;

internal static class Timeouts
{
    /// <summary>
    /// Bound for anything that should happen "now". Generous because these tests share two cores with other builds;
    /// a passing test never waits this long, only a failing one does.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>A token that cancels after <see cref="Default"/>.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;

    /// <summary>Polls <paramref name="condition"/> until it holds (for states that raise no event, like a broker's log).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Default);
        while (!condition())
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
