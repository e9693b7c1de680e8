using Fleet.Api.Clinical;
using Fleet.Api.Flags;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Data;
using Fleet.Domain.Flags;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Resource = Hl7.Fhir.Model.Resource;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>Builds FHIR resources from Fleet's own records on request: FHIR is a view, never a second copy.</summary>
public sealed class FhirResources(FleetDb db, HeadsetReadModel headsets, TimeProvider time)
{
    public const string Device = "Device";
    public const string DeviceUseStatement = "DeviceUseStatement";
    public const string AdverseEvent = "AdverseEvent";
    public const string Task = "Task";

    /// <summary>Any resource type Fleet serves by id, or null when there is none.</summary>
    public async Task<Resource?> ReadAsync(string type, string id, CancellationToken ct)
    {
        if (type == Device) return await DeviceAsync(id, ct);
        if (!Guid.TryParse(id, out var guid)) return null;
        return type switch
        {
            DeviceUseStatement => await DeviceUseStatementAsync(guid, ct),
            AdverseEvent => await AdverseEventAsync(guid, ct),
            Task => await TaskAsync(guid, ct),
            _ => null,
        };
    }

    public async Task<Hl7.Fhir.Model.Device?> DeviceAsync(string id, CancellationToken ct) =>
        await headsets.FindAsync(id, track: false, ct) is { } c ? DeviceResource.Build(c, time.GetUtcNow()) : null;

    public async Task<Page> DevicesAsync(Paging paging, CancellationToken ct)
    {
        var total = await db.Headsets.CountAsync(ct);
        var ids = await db.Headsets.OrderBy(h => h.Id).Skip(paging.Offset).Take(paging.Count).Select(h => h.Id).ToListAsync(ct);
        var now = time.GetUtcNow();
        var page = ids.Count == 0 ? [] : await headsets.LoadAsync(h => ids.Contains(h.Id), track: false, ct);
        return new(total, page.Select(c => DeviceResource.Build(c, now)).ToList());
    }

    public async Task<Hl7.Fhir.Model.DeviceUseStatement?> DeviceUseStatementAsync(Guid id, CancellationToken ct) =>
        await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s ? DeviceUseStatementResource.Build(s) : null;

    public async Task<Page> DeviceUseStatementsAsync(string patientRef, Paging paging, CancellationToken ct)
    {
        var q = db.Sessions.AsNoTracking().Where(s => s.PatientRef == patientRef);
        var total = await q.CountAsync(ct);
        var page = await q.OrderBy(s => s.StartedAt).ThenBy(s => s.Id).Skip(paging.Offset).Take(paging.Count).ToListAsync(ct);
        return new(total, page.Select(DeviceUseStatementResource.Build).ToList());
    }

    public async Task<Hl7.Fhir.Model.AdverseEvent?> AdverseEventAsync(Guid id, CancellationToken ct)
    {
        if (await db.ComfortReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.PatientRef != null, ct) is { } report)
            return AdverseEventResource.FromReport(report);
        var flag = await db.Flags.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flag is null || !AdverseEventResource.IsOwnEvent(flag)) return null;
        return (await AttributeAsync([flag], ct)).Select(e => AdverseEventResource.FromFlag(e.Flag, e.Session, e.WorstFms)).FirstOrDefault();
    }

    /// <summary>Discomfort reports of the patient and holds attributed to the patient's sessions, oldest first.</summary>
    public async Task<Page> AdverseEventsAsync(string patientRef, Paging paging, CancellationToken ct)
    {
        var reports = await db.ComfortReports.AsNoTracking().Where(r => r.PatientRef == patientRef).ToListAsync(ct);
        var headsetIds = await db.Sessions.Where(s => s.PatientRef == patientRef).Select(s => s.HeadsetId).Distinct().ToListAsync(ct);
        var flags = (await db.Flags.AsNoTracking()
            .Where(f => headsetIds.Contains(f.HeadsetId) && f.Kind == FlagKind.MotionSickness).ToListAsync(ct))
            .Where(AdverseEventResource.IsOwnEvent).ToList();
        var holds = (await AttributeAsync(flags, ct)).Where(e => e.Session.PatientRef == patientRef);

        var events = reports.Select(r => (At: r.At, r.Id, Build: (Func<Resource>)(() => AdverseEventResource.FromReport(r))))
            .Concat(holds.Select(e => (At: e.Flag.RaisedAt, e.Flag.Id, Build: (Func<Resource>)(() => AdverseEventResource.FromFlag(e.Flag, e.Session, e.WorstFms)))))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        return new(events.Count, events.Skip(paging.Offset).Take(paging.Count).Select(e => e.Build()).ToList());
    }

    public async Task<Hl7.Fhir.Model.Task?> TaskAsync(Guid id, CancellationToken ct)
    {
        if (await db.Cleanings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is not { } r) return null;
        var corrected = await db.CorrectedByAsync([r.HeadsetId], ct);
        return CleaningTaskResource.Build(r, await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == r.ProductId, ct),
            corrected.TryGetValue(r.Id, out var by) ? by : null);
    }

    public async Task<Page> TasksAsync(string headsetId, Paging paging, CancellationToken ct)
    {
        var q = db.Cleanings.AsNoTracking().Where(c => c.HeadsetId == headsetId);
        var total = await q.CountAsync(ct);
        var page = await q.OrderBy(c => c.StartedAt).ThenBy(c => c.Id).Skip(paging.Offset).Take(paging.Count).ToListAsync(ct);
        var products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var corrected = await db.CorrectedByAsync([headsetId], ct);
        return new(total, page.Select(r => CleaningTaskResource.Build(r, products.GetValueOrDefault(r.ProductId),
            corrected.TryGetValue(r.Id, out var by) ? by : null)).ToList());
    }

    private sealed record HoldEvent(Flag Flag, Session Session, int? WorstFms);

    /// <summary>The session each hold follows (holds that follow none are no patient's event) and the worst FMS reported for it.</summary>
    private async Task<List<HoldEvent>> AttributeAsync(IReadOnlyList<Flag> flags, CancellationToken ct)
    {
        if (flags.Count == 0) return [];
        var headsetIds = flags.Select(f => f.HeadsetId).Distinct().ToList();
        var earliest = flags.Min(f => f.RaisedAt) - FlagService.ImplicitSessionWindow;
        var latest = flags.Max(f => f.RaisedAt);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => headsetIds.Contains(s.HeadsetId) && s.StartedAt <= latest && (s.EndedAt == null || s.EndedAt >= earliest))
            .ToListAsync(ct);
        var attributed = flags.Select(f => (Flag: f, Session: AdverseEventResource.SessionFor(f, sessions)))
            .Where(x => x.Session is not null).ToList();
        var sessionIds = attributed.Select(x => (Guid?)x.Session!.Id).Distinct().ToList();
        var worst = (await db.ComfortReports.AsNoTracking().Where(r => sessionIds.Contains(r.SessionId) && r.Fms != null)
            .Select(r => new { r.SessionId, r.Fms }).ToListAsync(ct))
            .GroupBy(r => r.SessionId!.Value).ToDictionary(g => g.Key, g => g.Max(r => r.Fms));
        return attributed.Select(x => new HoldEvent(x.Flag, x.Session!, worst.GetValueOrDefault(x.Session!.Id))).ToList();
    }
}
