namespace Fleet.Mqtt.Internal;

internal static class AsyncEvent
{
    /// <summary>Runs every handler in turn. A handler's exception is its own business and must not break the client's loops.</summary>
    public static async Task InvokeAsync<TArgs>(Func<TArgs, Task>? handlers, TArgs args)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                await handler(args).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Swallowed by design (documented on the events).
            }
        }
    }
}
