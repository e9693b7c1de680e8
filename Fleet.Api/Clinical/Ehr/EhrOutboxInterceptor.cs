using System.Data.Common;
using System.Runtime.CompilerServices;
using Fleet.Api.Clinical.Fhir;
using Fleet.Domain.Flags;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Api.Clinical.Ehr;

/// <summary>
/// Adds an outbox row for every completed session and every adverse event inside the SaveChanges that records it, so
/// the row commits or rolls back with the change. The sender is woken once the transaction has committed.
/// </summary>
internal sealed class EhrOutboxInterceptor(TimeProvider time, EhrOutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _awaitingCommit = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Enqueue(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Enqueue(DbContext? context)
    {
        if (context is null) return;
        context.ChangeTracker.DetectChanges();
        var now = time.GetUtcNow();
        var rows = context.ChangeTracker.Entries().Select(e => e.Entity switch
        {
            Session s when Completed(e, s) => Row(FhirResources.DeviceUseStatement, s.Id, s.HeadsetId, now),
            Flag f when e.State == EntityState.Added && AdverseEventResource.IsOwnEvent(f) => Row(FhirResources.AdverseEvent, f.Id, f.HeadsetId, now),
            ComfortReport r when e.State == EntityState.Added && r.PatientRef is not null => Row(FhirResources.AdverseEvent, r.Id, r.HeadsetId, now),
            _ => null,
        }).OfType<EhrOutboxItem>().ToList();
        if (rows.Count == 0) return;
        context.AddRange(rows);
        _awaitingCommit.AddOrUpdate(context, rows);
    }

    private static bool Completed(EntityEntry e, Session s) => s.EndedAt is not null && e.State switch
    {
        EntityState.Added => true,
        EntityState.Modified => e.Property(nameof(Session.EndedAt)).OriginalValue is null,
        _ => false,
    };

    private static EhrOutboxItem Row(string type, Guid id, string headsetId, DateTimeOffset now) => new()
    {
        ResourceType = type, ResourceId = id.ToString(), HeadsetId = headsetId, CreatedAt = now, Status = EhrDelivery.Pending,
    };

    /// <summary>Without an explicit transaction SaveChanges has already committed its own.</summary>
    private void Saved(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Committed(context);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _awaitingCommit.Remove(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _awaitingCommit.Remove(context)) signal.Notify();
    }
}

/// <summary>Wakes the sender when new rows are committed.</summary>
public sealed class EhrOutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
