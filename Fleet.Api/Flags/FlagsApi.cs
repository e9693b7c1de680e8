using System.Security.Claims;
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
        var api = app.MapGroup("/api/v1").WithTags("Flags");
        api.MapPost("/headsets/{id}/flags", Raise).RequireAuthorization(Policies.RaiseFlag);
        api.MapGet("/headsets/{id}/flags", ListForHeadset).RequireAuthorization(Policies.Read);
        api.MapPost("/flags/{id}/clear", Clear).RequireAuthorization(Policies.Biomed);
        api.MapPost("/headsets/{id}/comfort-reports", Report).RequireAuthorization(Policies.Clean);
        api.MapGet("/headsets/{id}/comfort-reports", ListReports).RequireAuthorization(Policies.Read);
        return app;
    }

    private static async Task<Results<Created<FlagView>, ProblemHttpResult>> Raise(
        string id, RaiseFlagRequest body, ClaimsPrincipal user, Writes writes, FlagService flags, TimeProvider time, CancellationToken ct)
    {
        var v = new Validator();
        if (!FlagKinds.TryParse(body.Kind, out var kind))
            v.Add("kind", $"must be one of {string.Join(", ", FlagKindNames.All)}.");
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        await using var write = await writes.BeginAsync(ct);
        var result = await flags.RaiseAsync(id, kind, note, Actor.Name(user), Actor.User(user), time.GetUtcNow(), ct);
        if (result.Failure is { } f) return f.ToProblem();
        await write.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/headsets/{id}/flags", HeadsetViews.FlagView(result.Value!));
    }

    private static async Task<Results<Ok<FlagView>, ProblemHttpResult>> Clear(
        Guid id, ClearFlagRequest body, ClaimsPrincipal user, Writes writes, FlagService flags, TimeProvider time, CancellationToken ct)
    {
        var v = new Validator();
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        await using var write = await writes.BeginAsync(ct);
        var result = await flags.ClearAsync(id, note, Actor.Name(user), Actor.RolesOf(user), Actor.User(user), time.GetUtcNow(), ct);
        if (result.Failure is { } f) return f.ToProblem();
        await write.CommitAsync(ct);
        return TypedResults.Ok(HeadsetViews.FlagView(result.Value!));
    }

    private static async Task<Results<Ok<List<FlagView>>, ProblemHttpResult>> ListForHeadset(string id, bool? open, FleetDb db, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);
        var q = db.Flags.AsNoTracking().Where(f => f.HeadsetId == id);
        if (open is { } o) q = o ? q.Where(f => f.ClearedAt == null) : q.Where(f => f.ClearedAt != null);
        return TypedResults.Ok((await q.OrderByDescending(f => f.RaisedAt).ToListAsync(ct)).Select(HeadsetViews.FlagView).ToList());
    }

    private static async Task<Results<Created<ComfortReportView>, ProblemHttpResult>> Report(
        string id, ComfortReportRequest body, ClaimsPrincipal user, Writes writes, FlagService flags, TimeProvider time, CancellationToken ct)
    {
        var v = new Validator();
        if (body.Fms is not null) v.Range("fms", body.Fms, 0, ComfortReport.MaxFms);
        var note = v.Optional("note", body.Note);
        if (body.Fms is null && note is null) v.Add("fms", "give an FMS score (0-20), a note, or both.");
        if (v.Failed) return v.Problem();

        await using var write = await writes.BeginAsync(ct);
        var now = time.GetUtcNow();
        var result = await flags.ReportComfortAsync(id, new(body.SessionId, body.Fms, note, Actor.Name(user), now), Actor.User(user), now, ct);
        if (result.Failure is { } f) return f.ToProblem();
        await write.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/headsets/{id}/comfort-reports", ToView(result.Value!));
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
