using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Api.Infrastructure.Data;
using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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
    private readonly object _sync = new();
    private readonly LinkedList<TaskCompletionSource> _people = new();
    private readonly LinkedList<TaskCompletionSource> _background = new();
    private bool _held;

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

/// <summary>
/// Starts a write: the lock, then a transaction. Rules are evaluated on state read inside it. On PostgreSQL the
/// transaction first takes a transaction-scoped advisory lock, so writes of every instance are serialised by the
/// database exactly as one instance's are by <see cref="WriteLock"/>: no headset assigned twice, no lost update of
/// a state or counter, one order of the audit chain. It is released by the commit or rollback, also when an
/// instance dies mid-write (its connection closes).
/// </summary>
public sealed class Writes(FleetDb db, WriteLock gate, AuditTrail audit, HeadsetChanges changes)
{
    /// <summary>The advisory lock key of Fleet's writes (any constant; only Fleet uses the database).</summary>
    public const long AdvisoryLockKey = 0x466C656574;

    public Task<WriteScope> BeginAsync(CancellationToken ct) => BeginAsync(WritePriority.Person, ct);

    /// <summary>For writers that follow a stream of device events: they queue behind any person's write.</summary>
    public Task<WriteScope> BeginBackgroundAsync(CancellationToken ct) => BeginAsync(WritePriority.Background, ct);

    private async Task<WriteScope> BeginAsync(WritePriority priority, CancellationToken ct)
    {
        await gate.EnterAsync(priority, ct);
        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                if (db.Database.IsNpgsql())
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
            }
            catch
            {
                await tx.DisposeAsync();
                throw;
            }
            return new WriteScope(db, tx, gate, audit, changes);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }
}

/// <summary>
/// Commit seals the audit entries and saves everything in one transaction; disposing without a commit rolls
/// back and forgets every tracked change, so a refused or failed request leaves nothing half-written.
/// </summary>
public sealed class WriteScope(FleetDb db, IDbContextTransaction tx, WriteLock gate, AuditTrail audit, HeadsetChanges changes) : IAsyncDisposable
{
    private bool _done;
    private readonly HashSet<string> _alsoChanged = [];

    /// <summary>For changes made with plain SQL (the ingestion fast path), which the change tracker cannot see.</summary>
    public void MarkChanged(string headsetId) => _alsoChanged.Add(headsetId);

    public async Task CommitAsync(CancellationToken ct)
    {
        // A child of the request's span (or of the batch's): the trace shows how long the database took of the whole.
        using var span = Observability.FleetMetrics.Tracing.StartActivity("db.commit");
        await audit.SealAsync(ct);
        var changed = ChangedHeadsets().Union(_alsoChanged).ToList();
        var catalogChanged = db.ChangeTracker.Entries().Any(e => e.Entity is Ward or HeadsetModel
            && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        await db.SaveChangesAsync(ct);
        // In the transaction: PostgreSQL delivers the notice to the other instances when, and only if, it commits.
        if (db.Database.IsNpgsql()) await PostgresChangeRelay.NotifyAsync(db, changes.Origin, changed, ct);
        await tx.CommitAsync(ct);
        _done = true;
        if (catalogChanged) changes.PublishCatalogChange();
        changes.Publish(changed);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_done)
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                audit.Discard();
            }
            await tx.DisposeAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    private List<string> ChangedHeadsets() => db.ChangeTracker.Entries()
        .Where(e => e.State is EntityState.Added or EntityState.Modified)
        .Select(e => e.Entity switch
        {
            Headset h => h.Id,
            Session s => s.HeadsetId,
            Flag f => f.HeadsetId,
            CleaningRecord c => c.HeadsetId,
            ComfortReport r => r.HeadsetId,
            _ => null,
        })
        .OfType<string>()
        .Distinct()
        .ToList();
}
