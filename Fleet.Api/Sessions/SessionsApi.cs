using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain;
using Fleet.Domain.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Sessions;

public static class SessionsApi
{
    public const int MaxSessionMinutes = 8 * 60;

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/sessions", "Sessions");
        api.MapPost("/", Assign).RequireAuthorization(Policies.Assign).ReadsBody().Refuses(404).RefusedByTheGate();
        api.MapPost("/{id}/end", End).RequireAuthorization(Policies.Assign).Refuses(404, 409);
        api.MapGet("/", List).Refuses(400);
        api.MapGet("/{id}", Get).Refuses(404);
        return app;
    }

    private static async Task<Results<Created<SessionView>, ProblemHttpResult>> Assign(
        AssignRequest body, [AsParameters] WriteContext w, SessionService sessions)
    {
        var v = new Validator();
        var headsetId = body.HeadsetId is null ? null : v.Identifier("headsetId", body.HeadsetId, 40);
        // Patient references are opaque identifiers (MRN, FHIR id); the character rule keeps names out.
        var patientRef = v.Identifier("patientRef", body.PatientRef, 64);
        var wardId = v.Identifier("wardId", body.WardId, 40);
        var minutes = v.Range("sessionMinutes", body.SessionMinutes, 1, MaxSessionMinutes);
        var precautions = body.Precautions ?? [];
        foreach (var p in precautions.Where(p => !Session.KnownPrecautions.Contains(p)))
            v.Add("precautions", $"'{p}' is not a known precaution; use {string.Join(", ", Session.KnownPrecautions)}.");
        if (v.Failed) return v.Problem();

        try
        {
            return await w.ChangeAsync(async now =>
                (await sessions.AssignAsync(new(headsetId, patientRef, wardId, minutes, precautions.Distinct().ToList()), w.Name, w.Actor, now, w.Ct))
                .Respond(r => TypedResults.Created($"/api/v1/sessions/{r.Session.Id}",
                    ToView(r.Session) with { Warnings = r.Gate.Warnings.Select(Problems.ToReason).ToList() })));
        }
        catch (DbUpdateException e) when (e.InnerException?.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Another instance won the race between our gate check and our insert; the index decided.
            return Problems.Conflict("It is in a session with another patient.", Codes.InUse);
        }
    }

    private static Task<Results<Ok<SessionView>, ProblemHttpResult>> End(Guid id, [AsParameters] WriteContext w, SessionService sessions) =>
        w.ChangeAsync(async now => (await sessions.EndAsync(id, w.Name, w.Actor, now, null, w.Ct)).Respond(s => TypedResults.Ok(ToView(s))));

    private static async Task<Results<Ok<List<SessionView>>, ProblemHttpResult>> List(
        [AsParameters] SessionFilter filter, FleetDb db, CancellationToken ct)
    {
        var (headsetId, patientRef, from, to, open, limit) = filter;
        var v = new Validator();
        var take = v.Range("limit", limit, 1, 5000, 500);
        if (v.Failed) return v.Problem();
        var q = db.Sessions.AsNoTracking();
        if (headsetId is not null) q = q.Where(s => s.HeadsetId == headsetId);
        if (patientRef is not null) q = q.Where(s => s.PatientRef == patientRef);
        if (from?.Value is { } f) q = q.Where(s => s.EndedAt == null || s.EndedAt >= f);
        if (to?.Value is { } t) q = q.Where(s => s.StartedAt <= t);
        if (open is { } o) q = o ? q.Where(s => s.EndedAt == null) : q.Where(s => s.EndedAt != null);
        var rows = await q.OrderByDescending(s => s.StartedAt).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> Get(Guid id, FleetDb db, CancellationToken ct) =>
        await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s
            ? TypedResults.Ok(ToView(s))
            : Problems.NotFound("Session", id.ToString());

    public static SessionView ToView(Session s) => new()
    {
        Id = s.Id, HeadsetId = s.HeadsetId, PatientRef = s.PatientRef, WardId = s.WardId, SessionMinutes = s.SessionMinutes,
        Precautions = s.Precautions, StartedAt = s.StartedAt, StartedBy = s.StartedBy, EndedAt = s.EndedAt, EndedBy = s.EndedBy,
        WearSeconds = s.WearSeconds, App = s.App, FpsAvg = s.FpsAvg, DroppedFramePercent = s.DroppedFramePercent,
        TrackingLostCount = s.TrackingLostCount,
    };
}

/// <summary>The session list's query string; every part optional.</summary>
public readonly record struct SessionFilter(string? HeadsetId, string? PatientRef, UtcTime? From, UtcTime? To, bool? Open, int? Limit);
