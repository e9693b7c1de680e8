using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Observability;
using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Api.Infrastructure.Writes;

/// <summary>
/// Starts a write: the lock, then a transaction. Rules are evaluated on state read inside it. On PostgreSQL the
/// transaction first takes a transaction-scoped advisory lock, so writes of every instance are serialised by the
/// database exactly as one instance's are by <see cref="WriteLock"/>: no headset assigned twice, no lost update of
/// a state or counter, one order of the audit chain. It is released by the commit or rollback, also when an
/// instance dies mid-write (its connection closes).
/// </summary>
public sealed class Writes(FleetDb db, WriteLock gate, AuditTrail audit, HeadsetChanges changes, FleetMetrics metrics, TimeProvider time)
{
    /// <summary>The advisory lock key of Fleet's writes (any constant; only Fleet uses the database).</summary>
    public const long AdvisoryLockKey = 0x466C656574;

    /// <summary>A person's write (a request): it goes before any queued background write.</summary>
    public Task<WriteScope> BeginAsync(CancellationToken ct) => BeginAsync(WritePriority.Person, ct);

    /// <summary>
    /// For writes nobody waits for at a screen (ingestion, the scheduled jobs, reconciling tasks and alerts, the instance
    /// heartbeat): they queue behind any person's write, in their own order.
    /// </summary>
    public Task<WriteScope> BeginBackgroundAsync(CancellationToken ct) => BeginAsync(WritePriority.Background, ct);

    private async Task<WriteScope> BeginAsync(WritePriority priority, CancellationToken ct)
    {
        var queued = time.GetTimestamp();
        await gate.EnterAsync(priority, ct);
        var person = priority == WritePriority.Person;
        metrics.LockWaited(person, time.GetElapsedTime(queued));
        var granted = time.GetTimestamp();
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
            return new WriteScope(db, tx, gate, audit, changes, () => metrics.LockHeld(person, time.GetElapsedTime(granted)),
                took => metrics.WriteCommitted(person, took), time);
        }
        catch
        {
            gate.Release();
            metrics.LockHeld(person, time.GetElapsedTime(granted));
            throw;
        }
    }
}

/// <summary>
/// Commit seals the audit entries and saves everything in one transaction; disposing without a commit rolls
/// back and forgets every tracked change, so a refused or failed request leaves nothing half-written.
/// </summary>
public sealed class WriteScope(FleetDb db, IDbContextTransaction tx, WriteLock gate, AuditTrail audit, HeadsetChanges changes,
    Action released, Action<TimeSpan> committed, TimeProvider time) : IAsyncDisposable
{
    private bool _done;
    private readonly HashSet<string> _alsoChanged = [];

    /// <summary>For changes made with plain SQL (the ingestion fast path), which the change tracker cannot see.</summary>
    public void MarkChanged(string headsetId) => _alsoChanged.Add(headsetId);

    /// <summary>A person's write is queued behind this one (see <see cref="WriteLock.PersonWaiting"/>).</summary>
    public bool PersonWaiting => gate.PersonWaiting;

    public async Task CommitAsync(CancellationToken ct)
    {
        // A child of the request's span (or of the batch's): the trace shows how long the database took of the whole.
        using var span = Observability.FleetMetrics.Tracing.StartActivity("db.commit");
        await audit.SealAsync(ct);
        var changed = ChangedHeadsets().Union(_alsoChanged).ToList();
        var catalogChanged = db.ChangeTracker.Entries().Any(e => e.Entity is Ward or HeadsetModel
            && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        var saving = time.GetTimestamp();
        await db.SaveChangesAsync(ct);
        // In the transaction: PostgreSQL delivers the notice to the other instances when, and only if, it commits.
        if (db.Database.IsNpgsql()) await PostgresChangeRelay.NotifyAsync(db, changes.Origin, changed, ct);
        await tx.CommitAsync(ct);
        committed(time.GetElapsedTime(saving));
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
            released();
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
