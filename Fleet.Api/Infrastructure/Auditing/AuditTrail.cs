using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Api.Infrastructure.Data;
using Fleet.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Auditing;

/// <summary>
/// Collects the audit entries of one write and seals them into the hash chain when the write commits.
/// Sealing happens inside the write transaction, under the write lock, so the chain has one order.
/// </summary>
public sealed class AuditTrail(FleetDb db, TimeProvider time)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private readonly List<PendingEntry> _pending = [];

    public void Record(string actor, string action, string entityType, string entityId,
        string? reason = null, object? data = null, DateTimeOffset? occurredAt = null, bool late = false) =>
        _pending.Add(new(actor, action, entityType, entityId, reason,
            data is null ? null : JsonSerializer.Serialize(data, FleetJson.Options), occurredAt, late));

    internal bool HasPending => _pending.Count > 0;

    internal void Discard() => _pending.Clear();

    internal async Task SealAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(a => a.Seq)
            .Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(ct);
        var seq = last?.Seq ?? 0;
        var prev = last?.Hash ?? Genesis;
        // Whole microseconds: what every provider stores, so the hash is computed over the value read back.
        var now = UtcMicrosecondsConverter.Round(time.GetUtcNow());
        foreach (var p in _pending)
        {
            seq++;
            var entry = new AuditEntry
            {
                Seq = seq, At = now, OccurredAt = p.OccurredAt is { } o ? UtcMicrosecondsConverter.Round(o) : null, Actor = p.Actor, Action = p.Action,
                EntityType = p.EntityType, EntityId = p.EntityId, Reason = p.Reason, Data = p.Data,
                Late = p.Late, PrevHash = prev, Hash = "",
            };
            entry = WithHash(entry);
            db.Add(entry);
            prev = entry.Hash;
        }
        _pending.Clear();
    }

    internal static AuditEntry WithHash(AuditEntry e) => new()
    {
        Seq = e.Seq, At = e.At, OccurredAt = e.OccurredAt, Actor = e.Actor, Action = e.Action, EntityType = e.EntityType,
        EntityId = e.EntityId, Reason = e.Reason, Data = e.Data, Late = e.Late, PrevHash = e.PrevHash, Hash = ComputeHash(e),
    };

    /// <summary>SHA-256 over a JSON array of every field: unambiguous whatever characters the fields hold.</summary>
    internal static string ComputeHash(AuditEntry e)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            e.Seq, UtcTextConverter.Format(e.At), e.OccurredAt is { } o ? UtcTextConverter.Format(o) : null,
            e.Actor, e.Action, e.EntityType, e.EntityId, e.Reason, e.Data, e.Late, e.PrevHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private sealed record PendingEntry(string Actor, string Action, string EntityType, string EntityId,
        string? Reason, string? Data, DateTimeOffset? OccurredAt, bool Late);
}
