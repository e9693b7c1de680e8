using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Domain;
using Fleet.Domain.Flags;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Flags;

public sealed record ComfortEntry(Guid? SessionId, int? Fms, string? Note, string ReportedBy, DateTimeOffset At);

/// <summary>Holds and discomfort reports, with the automatic motion-sickness rules. Callers hold a write scope.</summary>
public sealed class FlagService(FleetDb db, AuditTrail audit)
{
    public static readonly string RulesActor = Actor.System("rules");

    /// <summary>A report is tied to the session it follows; without one given, the headset's session that ended in the last day.</summary>
    public static readonly TimeSpan ImplicitSessionWindow = TimeSpan.FromHours(24);

    public async Task<Outcome<Flag>> RaiseAsync(string headsetId, FlagKind kind, string note, string raisedBy, string actor, DateTimeOffset now, CancellationToken ct, string? rule = null)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == headsetId, ct)) return Failure.NotFound("headset", headsetId);
        var flag = new Flag { Id = Guid.CreateVersion7(now), HeadsetId = headsetId, Kind = kind, Note = note, RaisedBy = raisedBy, RaisedAt = now, RaisedByRule = rule };
        db.Flags.Add(flag);
        audit.Record(actor, "flag.raised", "headset", headsetId, note, new { flagId = flag.Id, kind = kind.WireName(), rule });
        return flag;
    }

    public async Task<Outcome<Flag>> ClearAsync(Guid flagId, string note, string userName, IReadOnlyList<string> roles, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Flags.FindAsync([flagId], ct) is not { } flag) return Failure.NotFound("flag", flagId.ToString());
        if (flag.Clear(now, userName, roles, note) is { } refusal)
            return refusal.Code switch
            {
                Codes.Forbidden => new Failure(FailureKind.Forbidden, [refusal]),
                Codes.ValidationFailed => Failure.Invalid("note", refusal.Message),
                _ => Failure.Conflict(refusal),
            };
        audit.Record(actor, "flag.cleared", "headset", flag.HeadsetId, note, new { flagId, kind = flag.Kind.WireName() });
        return flag;
    }

    public async Task<Outcome<ComfortReport>> ReportComfortAsync(string headsetId, ComfortEntry entry, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == headsetId, ct)) return Failure.NotFound("headset", headsetId);
        Session? session;
        if (entry.SessionId is { } sid)
        {
            session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct);
            if (session is null || session.HeadsetId != headsetId)
                return Failure.Invalid("sessionId", $"There is no session '{sid}' on {headsetId}.");
        }
        else
        {
            var since = entry.At - ImplicitSessionWindow;
            session = await db.Sessions.AsNoTracking()
                .Where(s => s.HeadsetId == headsetId && s.StartedAt <= entry.At && (s.EndedAt == null || s.EndedAt >= since))
                .OrderByDescending(s => s.StartedAt).FirstOrDefaultAsync(ct);
        }

        var report = new ComfortReport
        {
            Id = Guid.CreateVersion7(now), HeadsetId = headsetId, SessionId = session?.Id, PatientRef = session?.PatientRef,
            Fms = entry.Fms, Note = entry.Note, ReportedBy = entry.ReportedBy, At = entry.At,
        };
        db.ComfortReports.Add(report);
        audit.Record(actor, "comfort.reported", "headset", headsetId, entry.Note, new { reportId = report.Id, report.SessionId, report.Fms });

        // Reports a biomedical engineer already answered with an inspection do not count again.
        var windowStart = entry.At - MotionSicknessPolicy.Default.RepeatedWindow;
        var lastClearance = await db.Flags.AsNoTracking()
            .Where(f => f.HeadsetId == headsetId && f.Kind == FlagKind.MotionSickness && f.ClearedAt != null)
            .MaxAsync(f => f.ClearedAt, ct);
        var recent = await db.ComfortReports.AsNoTracking()
            .Where(r => r.HeadsetId == headsetId && r.At >= windowStart && (lastClearance == null || r.At > lastClearance))
            .ToListAsync(ct);
        if (MotionSicknessRules.AfterReport(report, recent, MotionSicknessPolicy.Default) is { } hit)
            report.FlagId = (await AutoFlagAsync(headsetId, hit.Rule, hit.Note, now, ct))?.Id;
        return report;
    }

    /// <summary>Raises a motion-sickness hold for a rule, unless one is already open (one inspection covers all reasons).</summary>
    public async Task<Flag?> AutoFlagAsync(string headsetId, string rule, string note, DateTimeOffset now, CancellationToken ct)
    {
        var open = db.Flags.Local.FirstOrDefault(f => f.HeadsetId == headsetId && f.Kind == FlagKind.MotionSickness && f.Open)
            ?? await db.Flags.FirstOrDefaultAsync(f => f.HeadsetId == headsetId && f.Kind == FlagKind.MotionSickness && f.ClearedAt == null, ct);
        if (open is not null) return open;
        var raised = await RaiseAsync(headsetId, FlagKind.MotionSickness, note, RulesActor, RulesActor, now, ct, rule);
        return raised.Value;
    }
}
