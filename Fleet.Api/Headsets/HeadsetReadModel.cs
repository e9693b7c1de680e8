using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Data;
using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Headsets;

/// <summary>
/// Loads headsets together with what the rules need, in a fixed number of queries whatever the fleet size.
/// Loading for a write first records any hang time that has run out, so every transition starts from the true state
/// (an expired headset marked dirty keeps the due clock that started at its expiry).
/// </summary>
public sealed class HeadsetReadModel(FleetDb db, AuditTrail audit, TimeProvider time)
{
    public async Task<HeadsetContext?> FindAsync(string headsetId, bool track, CancellationToken ct) =>
        (await LoadAsync(h => h.Id == headsetId, track, ct)).FirstOrDefault();

    public Task<List<HeadsetContext>> ListAsync(string? wardId, bool track, CancellationToken ct) =>
        wardId is null ? LoadAsync(_ => true, track, ct) : LoadAsync(h => h.WardId == wardId, track, ct);

    public async Task<List<HeadsetContext>> LoadAsync(System.Linq.Expressions.Expression<Func<Headset, bool>> filter, bool track, CancellationToken ct)
    {
        // One open for the five queries (EF would open and close the connection around each).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await LoadOpenAsync(filter, track, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<List<HeadsetContext>> LoadOpenAsync(System.Linq.Expressions.Expression<Func<Headset, bool>> filter, bool track, CancellationToken ct)
    {
        var headsetQuery = db.Headsets.Where(filter);
        var headsets = await (track ? headsetQuery : headsetQuery.AsNoTracking()).OrderBy(h => h.Id).ToListAsync(ct);
        if (headsets.Count == 0) return [];

        var ids = headsets.Select(h => h.Id).ToList();
        var models = await db.Models.AsNoTracking().ToDictionaryAsync(m => m.Id, ct);
        var wards = await db.Wards.AsNoTracking().ToDictionaryAsync(w => w.Id, ct);
        var sessionQuery = db.Sessions.Where(s => s.EndedAt == null && ids.Contains(s.HeadsetId));
        var sessions = (await (track ? sessionQuery : sessionQuery.AsNoTracking()).ToListAsync(ct)).ToDictionary(s => s.HeadsetId);
        var flags = (await db.Flags.AsNoTracking().Where(f => f.ClearedAt == null && ids.Contains(f.HeadsetId)).ToListAsync(ct))
            .ToLookup(f => f.HeadsetId);

        var contexts = headsets.Select(h => new HeadsetContext(h, models[h.ModelId], wards[h.WardId],
            sessions.GetValueOrDefault(h.Id), flags[h.Id].OrderBy(f => f.RaisedAt).ToList())).ToList();
        if (track) RecordExpiries(contexts);
        return contexts;
    }

    public const string ExpiryActor = "system:hang-time";

    private void RecordExpiries(IEnumerable<HeadsetContext> contexts)
    {
        var now = time.GetUtcNow();
        foreach (var c in contexts)
        {
            if (!c.Headset.Expire(c.Policy, now)) continue;
            audit.Record(ExpiryActor, "hygiene.expired", "headset", c.Headset.Id,
                $"Clean status passed its {c.Policy.HangTime.TotalHours:0.#} h hang time.", occurredAt: c.Headset.HygieneChangedAt);
        }
    }
}
