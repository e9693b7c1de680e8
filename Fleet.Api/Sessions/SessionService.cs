using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Observability;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Domain;
using Fleet.Domain.Assignment;
using Fleet.Domain.Sessions;

namespace Fleet.Api.Sessions;

public sealed record Assignment(string? HeadsetId, string PatientRef, string WardId, int SessionMinutes, IReadOnlyList<string> Precautions);

/// <summary>Hand-over and return of headsets, through the assignment gate. Callers hold a write scope.</summary>
public sealed class SessionService(FleetDb db, HeadsetReadModel headsets, AuditTrail audit, FleetMetrics metrics)
{
    public async Task<Outcome<(Session Session, GateResult Gate)>> AssignAsync(Assignment a, string userName, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Wards.FindAsync([a.WardId], ct) is null) return Failure.Invalid("wardId", $"There is no ward '{a.WardId}'.");

        HeadsetContext ctx;
        GateResult gate;
        if (a.HeadsetId is { } id)
        {
            if (await headsets.FindAsync(id, track: true, ct) is not { } found) return Failure.NotFound("headset", id);
            ctx = found;
            gate = ctx.Gate(a.SessionMinutes, now);
            if (!gate.Ready)
            {
                metrics.Decision(assigned: false, gate.Reasons[0].Code);
                return new Failure(FailureKind.Blocked, gate.Reasons, gate.Warnings, id);
            }
        }
        else
        {
            var candidates = await headsets.ListAsync(a.WardId, track: true, ct);
            var ranked = HeadsetPicker.Rank(candidates.Select(c =>
                new PickCandidate(c.Headset.Id, c.Gate(a.SessionMinutes, now), c.LifetimeConsumed(now), c.Headset.Counters.Cleanings, c.Headset.Telemetry.BatteryPercent)));
            if (ranked.Count == 0)
            {
                metrics.Decision(assigned: false, Codes.NoHeadsetAvailable);
                return Failure.Conflict(new(Codes.NoHeadsetAvailable, $"No headset in {a.WardId} is ready for a {a.SessionMinutes} min session; see each headset's readiness for why."));
            }
            ctx = candidates.First(c => c.Headset.Id == ranked[0].HeadsetId);
            gate = ranked[0].Gate;
        }

        metrics.Decision(assigned: true, "ready");
        var session = new Session
        {
            Id = Guid.CreateVersion7(now), HeadsetId = ctx.Headset.Id, PatientRef = a.PatientRef, WardId = a.WardId,
            SessionMinutes = a.SessionMinutes, Precautions = [.. a.Precautions], StartedAt = now, StartedBy = userName,
        };
        ctx.Headset.StartSession(now);
        db.Sessions.Add(session);
        audit.Record(actor, "session.started", "headset", ctx.Headset.Id, data: new
        {
            sessionId = session.Id, patientRef = a.PatientRef, a.WardId, a.SessionMinutes, a.Precautions,
            picked = a.HeadsetId is null, warnings = gate.Warnings.Select(w => w.Code),
        });
        return (session, gate);
    }

    public async Task<Outcome<Session>> EndAsync(Guid sessionId, string userName, string actor, DateTimeOffset now, long? wearSeconds, CancellationToken ct)
    {
        if (await db.Sessions.FindAsync([sessionId], ct) is not { } session) return Failure.NotFound("session", sessionId.ToString());
        if (!session.Open) return Failure.Conflict(new(Codes.Conflict, $"Session {sessionId} already ended at {session.EndedAt:u}."));
        var ctx = (await headsets.FindAsync(session.HeadsetId, track: true, ct))!;
        session.End(now, userName, wearSeconds);
        ctx.Headset.EndSession(session.EndedAt!.Value, session.ContactPrecautions, session.WearSeconds ?? 0);
        audit.Record(actor, "session.ended", "headset", session.HeadsetId, data: new
        {
            sessionId, endedAt = session.EndedAt, session.WearSeconds, contactPrecautions = session.ContactPrecautions,
        });
        return session;
    }
}
