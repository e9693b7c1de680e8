using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Domain.Cleaning;
using Fleet.Domain;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Cleaning;

/// <summary>
/// Applies the cleaning rules to stored state, for the REST endpoints and the MQTT ingester alike.
/// Callers hold a write scope; nothing here commits.
/// </summary>
public sealed class CleaningService(FleetDb db, HeadsetReadModel headsets, AuditTrail audit)
{
    /// <param name="replaceReason">Why a cleaning in progress is replaced, in the person's words; it goes on the abandoned record's audit entry.</param>
    public async Task<Outcome<CleaningRecord>> StartAsync(string headsetId, string productId, string operatorName, string actor, DateTimeOffset now, CancellationToken ct,
        string? replaceReason = null)
    {
        if (await headsets.FindAsync(headsetId, track: true, ct) is not { } ctx) return Failure.NotFound("headset", headsetId);
        if (await db.Products.FindAsync([productId], ct) is not { } product) return Failure.Invalid("productId", $"There is no product '{productId}'.");

        var h = ctx.Headset;
        var problems = CleaningRules.CheckProduct(product, ctx.Model, h.SporicidalRequired);
        if (problems.Count > 0) return Failure.Refused(problems);

        var previous = h.ActiveCleaningId;
        var record = new CleaningRecord
        {
            Id = Guid.CreateVersion7(now), HeadsetId = h.Id, ProductId = product.Id, Method = product.Class,
            ContactSeconds = product.ContactSeconds, Operator = operatorName, StartedAt = now,
            SporicidalRequired = h.SporicidalRequired, RecordedAt = now,
        };
        if (h.BeginCleaning(record.Id, now) is { } refusal)
            return refusal.Code == Codes.InUse ? Failure.Conflict(refusal) : Failure.Refused(refusal);
        if (previous is { } old)
            await AbandonAsync(old, now, replaceReason is null ? "Superseded by a new cleaning." : $"Superseded by a new cleaning: {replaceReason}", actor, ct);

        db.Cleanings.Add(record);
        audit.Record(actor, "cleaning.started", "headset", h.Id, data: new { cleaningId = record.Id, product = product.Id, product.ContactSeconds });
        return record;
    }

    /// <summary>Finishing before the contact time is refused and changes nothing: the surfaces are still wet, so the nurse can finish later.</summary>
    public async Task<Outcome<CleaningRecord>> CompleteAsync(Guid cleaningId, bool facialInterfaceReplaced, string? note, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Cleanings.FindAsync([cleaningId], ct) is not { } record) return Failure.NotFound("cleaning", cleaningId.ToString());
        if (record.Status != CleaningStatus.InProgress)
            return Failure.Conflict(new(Codes.CleaningAlreadyFinished, $"This cleaning is already {record.Status.ToString().ToLowerInvariant()}."));
        var ctx = (await headsets.FindAsync(record.HeadsetId, track: true, ct))!;
        var product = (await db.Products.FindAsync([record.ProductId], ct))!;

        var lasted = now - record.StartedAt;
        if (!CleaningRules.ContactTimeMet(record.StartedAt, now, TimeSpan.FromSeconds(record.ContactSeconds)))
            return Failure.Refused(CleaningRules.ContactTimeNotMet(product, lasted, TimeSpan.FromSeconds(record.ContactSeconds)));

        var problems = CleaningRules.Evaluate(new CleaningFacts
        {
            Product = product, Model = ctx.Model, SporicidalRequired = record.SporicidalRequired,
            StartedAt = record.StartedAt, CompletedAt = now, Policy = ctx.Policy, ContactSecondsAtStart = record.ContactSeconds,
        });
        Finish(ctx, record, now, facialInterfaceReplaced, note, problems, late: false);
        audit.Record(actor, "cleaning.completed", "headset", record.HeadsetId, data: Verdict(record));
        return record;
    }

    /// <summary>A cleaning logged after the fact: placed at its real time, marked late, refused beyond the late-entry window.</summary>
    public async Task<Outcome<CleaningRecord>> LogAsync(string headsetId, LoggedCleaning entry, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await headsets.FindAsync(headsetId, track: true, ct) is not { } ctx) return Failure.NotFound("headset", headsetId);
        if (await db.Products.FindAsync([entry.ProductId], ct) is not { } product) return Failure.Invalid("productId", $"There is no product '{entry.ProductId}'.");
        if (CleaningRules.CheckEntryTime(entry.CompletedAt, now, ctx.Policy) is { } timing)
            return timing.Code == Codes.ValidationFailed ? Failure.Invalid("completedAt", timing.Message) : Failure.Refused(timing);
        if (entry.CorrectsId is { } corrects && !await db.Cleanings.AnyAsync(c => c.Id == corrects && c.HeadsetId == headsetId, ct))
            return Failure.Invalid("correctsId", $"There is no cleaning '{corrects}' of {headsetId} to correct.");

        var h = ctx.Headset;
        var covers = h.CleaningCoversCurrentState(entry.StartedAt, entry.CompletedAt);
        var sporicidalRequired = covers ? h.SporicidalRequired : await LastSessionHadContactPrecautionsAsync(headsetId, entry.StartedAt, ct);
        var problems = CleaningRules.Evaluate(new CleaningFacts
        {
            Product = product, Model = ctx.Model, SporicidalRequired = sporicidalRequired,
            StartedAt = entry.StartedAt, CompletedAt = entry.CompletedAt, CycleCompleted = entry.CycleCompleted,
            WipedSinceSoiled = product.Class == ProductClass.UvcCabinet && await WipedSinceAsync(headsetId, h.LastSoiledAt, ct),
            Policy = ctx.Policy,
        });
        var record = new CleaningRecord
        {
            Id = Guid.CreateVersion7(now), HeadsetId = h.Id, ProductId = product.Id, Method = product.Class,
            ContactSeconds = product.ContactSeconds, Operator = entry.OperatorName, CabinetId = entry.CabinetId,
            StartedAt = entry.StartedAt, SporicidalRequired = sporicidalRequired, RecordedAt = now, CorrectsId = entry.CorrectsId,
        };
        var late = CleaningRules.IsLate(entry.CompletedAt, now);
        db.Cleanings.Add(record);
        if (problems.Count == 0 && covers && h.ActiveCleaningId is { } active)
            await AbandonAsync(active, now, "Superseded by a logged cleaning.", actor, ct);
        Finish(ctx, record, entry.CompletedAt, entry.FacialInterfaceReplaced, entry.Note, problems, late);
        audit.Record(actor, entry.CabinetId is null ? "cleaning.logged" : "cleaning.cabinet_cycle", "headset", h.Id,
            data: Verdict(record), occurredAt: entry.CompletedAt, late: late);
        if (entry.CorrectsId is { } correctedId && !record.Valid
            && await db.Cleanings.FindAsync([correctedId], ct) is { Status: CleaningStatus.Valid, CompletedAt: { } was } corrected
            && h.RevokeCleaning(was, corrected.SporicidalRequired, now))
        {
            audit.Record(actor, "hygiene.clean_revoked", "headset", h.Id,
                "A correction found the cleaning it rested on invalid; it must be cleaned again.", new { cleaningId = correctedId, correctionId = record.Id });
        }
        return record;
    }

    private static void Finish(HeadsetContext ctx, CleaningRecord record, DateTimeOffset completedAt, bool facialInterfaceReplaced,
        string? note, IReadOnlyList<Refusal> problems, bool late)
    {
        record.Finish(completedAt, facialInterfaceReplaced, note, problems, late);
        ctx.Headset.ApplyCleaning(record.Id, record.Method, record.StartedAt, completedAt, record.Valid, facialInterfaceReplaced);
    }

    private async Task AbandonAsync(Guid cleaningId, DateTimeOffset now, string reason, string actor, CancellationToken ct)
    {
        if (await db.Cleanings.FindAsync([cleaningId], ct) is not { Status: CleaningStatus.InProgress } old) return;
        old.Abandon(now, reason);
        audit.Record(actor, "cleaning.abandoned", "headset", old.HeadsetId, reason, new { cleaningId });
    }

    private async Task<bool> LastSessionHadContactPrecautionsAsync(string headsetId, DateTimeOffset before, CancellationToken ct)
    {
        var last = await db.Sessions.AsNoTracking()
            .Where(s => s.HeadsetId == headsetId && s.EndedAt != null && s.EndedAt <= before)
            .OrderByDescending(s => s.EndedAt).FirstOrDefaultAsync(ct);
        return last?.ContactPrecautions ?? false;
    }

    private Task<bool> WipedSinceAsync(string headsetId, DateTimeOffset since, CancellationToken ct) =>
        db.Cleanings.AnyAsync(c => c.HeadsetId == headsetId && c.Status == CleaningStatus.Valid
            && c.Method != ProductClass.UvcCabinet && c.StartedAt >= since, ct);

    private static object Verdict(CleaningRecord r) => new
    {
        cleaningId = r.Id, product = r.ProductId, startedAt = r.StartedAt, completedAt = r.CompletedAt,
        status = r.Status.ToString(), invalid = r.InvalidCodes, r.FacialInterfaceReplaced, r.Late, r.CabinetId,
    };
}

/// <summary>A finished cleaning reported after the fact, by a person or a UV-C cabinet.</summary>
public sealed record LoggedCleaning(string ProductId, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, bool FacialInterfaceReplaced,
    string? Note, Guid? CorrectsId, string OperatorName, string? CabinetId = null, bool? CycleCompleted = null);
