using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Flags;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Flags;

public static class FlagsApi
{
    public static IEndpointRouteBuilder MapFlagsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("", "Flags");
        api.MapPost("/headsets/{id}/flags", Raise).RequireAuthorization(Policies.RaiseFlag).ReadsBody().Refuses(404);
        api.MapGet("/headsets/{id}/flags", ListForHeadset).Refuses(400, 404);
        api.MapPost("/flags/{id}/clear", Clear).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(404, 409);
        api.MapPost("/headsets/{id}/comfort-reports", Report).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404);
        api.MapGet("/headsets/{id}/comfort-reports", ListReports).Refuses(404);
        return app;
    }

    private static async Task<Results<Created<FlagView>, ProblemHttpResult>> Raise(
        string id, RaiseFlagRequest body, [AsParameters] WriteContext w, FlagService flags)
    {
        var v = new Validator();
        if (!FlagKinds.TryParse(body.Kind, out var kind))
            v.Add("kind", $"must be one of {string.Join(", ", FlagKindNames.All)}.");
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async now => (await flags.RaiseAsync(id, kind, note, w.Name, w.Actor, now, w.Ct))
            .Respond(f => TypedResults.Created($"/api/v1/headsets/{id}/flags", HeadsetViews.FlagView(f))));
    }

    private static async Task<Results<Ok<FlagView>, ProblemHttpResult>> Clear(
        Guid id, ClearFlagRequest body, [AsParameters] WriteContext w, FlagService flags)
    {
        var v = new Validator();
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async now => (await flags.ClearAsync(id, note, w.Name, Actor.RolesOf(w.User), w.Actor, now, w.Ct))
            .Respond(f => TypedResults.Ok(HeadsetViews.FlagView(f))));
    }

    private static async Task<Results<Ok<List<FlagView>>, ProblemHttpResult>> ListForHeadset(string id, bool? open, FleetDb db, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);
        var q = db.Flags.AsNoTracking().Where(f => f.HeadsetId == id);
        if (open is { } o) q = o ? q.Where(f => f.ClearedAt == null) : q.Where(f => f.ClearedAt != null);
        return TypedResults.Ok((await q.OrderByDescending(f => f.RaisedAt).ToListAsync(ct)).Select(HeadsetViews.FlagView).ToList());
    }

    private static async Task<Results<Created<ComfortReportView>, ProblemHttpResult>> Report(
        string id, ComfortReportRequest body, [AsParameters] WriteContext w, FlagService flags)
    {
        var v = new Validator();
        if (body.Fms is not null) v.Range("fms", body.Fms, 0, ComfortReport.MaxFms);
        var note = v.Optional("note", body.Note);
        if (body.Fms is null && note is null) v.Add("fms", "give an FMS score (0-20), a note, or both.");
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async now => (await flags.ReportComfortAsync(id, new(body.SessionId, body.Fms, note, w.Name, now), w.Actor, now, w.Ct))
            .Respond(r => TypedResults.Created($"/api/v1/headsets/{id}/comfort-reports", ToView(r))));
    }

    private static async Task<Results<Ok<List<ComfortReportView>>, ProblemHttpResult>> ListReports(string id, FleetDb db, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);
        var rows = await db.ComfortReports.AsNoTracking().Where(r => r.HeadsetId == id).OrderByDescending(r => r.At).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    public static ComfortReportView ToView(ComfortReport r) => new()
    {
        Id = r.Id, HeadsetId = r.HeadsetId, SessionId = r.SessionId, Fms = r.Fms, Note = r.Note, ReportedBy = r.ReportedBy, At = r.At, FlagId = r.FlagId,
    };
}
