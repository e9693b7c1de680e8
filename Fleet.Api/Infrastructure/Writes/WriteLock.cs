namespace Fleet.Api.Infrastructure.Writes;

/// <summary>
/// One writer at a time in this process. SQLite serialises writers anyway; queueing here instead of
/// spinning on SQLITE_BUSY keeps latency flat, and it makes every read-decide-write sequence atomic.
/// On PostgreSQL several instances share the database, so the database holds the lock that counts (see
/// <see cref="Writes"/>); this one stays as an optimisation: an instance's writers queue here, not on the server.
/// A person's write (an assignment, a cleaning) goes before the queued ingestion batches: a batch may hold the lock for
/// tens of milliseconds under load, and a nurse at the gate should wait for at most the one already running, not for
/// every batch queued behind it. Ingestion cannot starve: people write a few times a minute.
/// </summary>
public sealed class WriteLock
{
    private readonly Lock _sync = new();
    private readonly LinkedList<TaskCompletionSource> _people = new();
    private readonly LinkedList<TaskCompletionSource> _background = new();
    private bool _held;

    /// <summary>
    /// Whether a person's write is queued. A long background write checks this between its steps and commits what it
    /// has done so far, so a person waits for one step of it, not for the whole batch.
    /// </summary>
    public bool PersonWaiting
    {
        get
        {
            lock (_sync) return _people.Count > 0;
        }
    }

    public Task EnterAsync(WritePriority priority, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        var queue = priority == WritePriority.Background ? _background : _people;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = queue.AddLast(waiter);
        }
        if (!ct.CanBeCanceled) return waiter.Task;
        var registration = ct.Register(() =>
        {
            // Only a waiter still queued is cancelled; one already handed the lock keeps it (its caller releases it).
            lock (_sync)
            {
                if (node.List is null) return;
                queue.Remove(node);
            }
            waiter.TrySetCanceled(ct);
        });
        return WaitAsync(waiter.Task, registration);
    }

    private static async Task WaitAsync(Task granted, CancellationTokenRegistration registration)
    {
        await using (registration) await granted;
    }

    public void Release()
    {
        TaskCompletionSource? next;
        lock (_sync)
        {
            var queue = _people.Count > 0 ? _people : _background;
            if (queue.First is not { } first)
            {
                _held = false;
                return;
            }
            queue.RemoveFirst();
            next = first.Value;
        }
        next.SetResult(); // the lock passes straight to the next writer; it is never free in between
    }
}

/// <summary>Who waits first for the write lock: people at a screen before the ingestion of device events.</summary>
public enum WritePriority { Person, Background }
