using System.Globalization;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Hygiene;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Headsets;

public static class HeadsetApi
{
    public const string IdPrefix = "HS-";

    public static IEndpointRouteBuilder MapHeadsetApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/headsets", "Headsets");
        api.MapGet("/", List).Refuses(400);
        api.MapPost("/", Register).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(409);
        api.MapGet("/{id}", Detail).Refuses(404);
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(404, 409);
        api.MapGet("/{id}/readiness", Readiness).Refuses(400, 404);
        api.MapPost("/{id}/retire", Retire).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(404, 409);
        api.MapPost("/{id}/inspections", Inspect).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(404);
        return app;
    }

    private static async Task<Results<Ok<List<HeadsetSummary>>, ProblemHttpResult>> List(
        string? ward, string? state, bool? ready, HeadsetReadModel headsets, UsageRateReader rates, TimeProvider time, CancellationToken ct)
    {
        if (state is not null && !Enum.TryParse<HygieneState>(state, ignoreCase: true, out _))
            return Problems.Validation("state", $"must be one of {string.Join(", ", Enum.GetNames<HygieneState>())}.");
        var now = time.GetUtcNow();
        var all = await headsets.ListAsync(ward, track: false, ct);
        var usage = await rates.ReadAsync(all.Select(c => c.Headset.Id).ToList(), now, ct);
        var views = all.Select(c => HeadsetViews.Summary(c, now, usage[c.Headset.Id]))
            .Where(s => state is null || string.Equals(s.Hygiene, state, StringComparison.OrdinalIgnoreCase))
            .Where(s => ready is null || s.Ready == ready)
            // Ready ones first, so the scheduler sees what can go now at the top.
            .OrderByDescending(s => s.Ready).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<IdResponse>, ProblemHttpResult>> Register(
        RegisterHeadsetRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var serial = v.Identifier("serial", body.Serial, 64);
        var assetTag = v.Identifier("assetTag", body.AssetTag, 64);
        var modelId = v.Identifier("modelId", body.ModelId, 40);
        var wardId = v.Identifier("wardId", body.WardId, 40);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Created<IdResponse>, ProblemHttpResult>> (now) =>
        {
            if (!await db.Models.AnyAsync(m => m.Id == modelId, w.Ct)) return Problems.Validation("modelId", $"There is no model '{modelId}'.");
            if (!await db.Wards.AnyAsync(x => x.Id == wardId, w.Ct)) return Problems.Validation("wardId", $"There is no ward '{wardId}'.");
            if (await db.Headsets.AnyAsync(h => h.Serial == serial, w.Ct)) return Problems.Conflict($"A headset with serial '{serial}' is already registered.");
            if (await db.Headsets.AnyAsync(h => h.AssetTag == assetTag, w.Ct)) return Problems.Conflict($"A headset with asset tag '{assetTag}' is already registered.");

            var id = await NextIdAsync(db, w.Ct);
            db.Headsets.Add(Headset.Register(id, serial, assetTag, modelId, wardId, now));
            audit.Record(w.Actor, "headset.registered", "headset", id, data: new { serial, assetTag, modelId, wardId, hygiene = "Dirty" });
            return TypedResults.Created($"/api/v1/headsets/{id}", new IdResponse(id));
        });
    }

    /// <summary>Corrects a registration: asset tag, model and ward. The serial is the device's own and the hygiene state is untouched.</summary>
    private static async Task<Results<Ok<IdResponse>, ProblemHttpResult>> Update(
        string id, UpdateHeadsetRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var assetTag = v.Identifier("assetTag", body.AssetTag, 64);
        var modelId = v.Identifier("modelId", body.ModelId, 40);
        var wardId = v.Identifier("wardId", body.WardId, 40);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<IdResponse>, ProblemHttpResult>> (_) =>
        {
            if (await db.Headsets.FindAsync([id], w.Ct) is not { } headset) return Problems.NotFound("Headset", id);
            if (!await db.Models.AnyAsync(m => m.Id == modelId, w.Ct)) return Problems.Validation("modelId", $"There is no model '{modelId}'.");
            if (!await db.Wards.AnyAsync(x => x.Id == wardId, w.Ct)) return Problems.Validation("wardId", $"There is no ward '{wardId}'.");
            if (await db.Headsets.AnyAsync(h => h.AssetTag == assetTag && h.Id != id, w.Ct))
                return Problems.Conflict($"Another headset already has asset tag '{assetTag}'.");
            var before = new { headset.AssetTag, headset.ModelId, headset.WardId };
            headset.AssetTag = assetTag;
            headset.ModelId = modelId;
            headset.WardId = wardId;
            audit.Record(w.Actor, "headset.updated", "headset", id, data: new { before, after = new { assetTag, modelId, wardId } });
            return TypedResults.Ok(new IdResponse(id));
        });
    }

    private static async Task<Results<Ok<HeadsetDetail>, ProblemHttpResult>> Detail(
        string id, HeadsetReadModel headsets, UsageRateReader rates, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await headsets.FindAsync(id, track: false, ct) is not { } ctx) return Problems.NotFound("Headset", id);
        var enrolledAt = await db.Headsets.Where(h => h.Id == id).Select(h => EF.Property<DateTimeOffset?>(h, "EnrolledAt")).FirstAsync(ct);
        return TypedResults.Ok(HeadsetViews.Detail(ctx, now, (await rates.ReadAsync([id], now, ct))[id], enrolledAt));
    }

    private static async Task<Results<Ok<Readiness>, ProblemHttpResult>> Readiness(
        string id, int? sessionMinutes, HeadsetSnapshots snapshots, IServiceProvider services, TimeProvider time, CancellationToken ct)
    {
        var v = new Validator();
        var minutes = v.Range("sessionMinutes", sessionMinutes, 1, Sessions.SessionsApi.MaxSessionMinutes, HygienePolicy.DefaultSessionMinutes);
        if (v.Failed) return v.Problem();
        var now = time.GetUtcNow();
        // The read model (and the database context under it) only when the snapshot has to be read: most answers come
        // from a kept one, and creating a context per request was a measurable share of readiness under ingest load.
        if (await snapshots.FindAsync(id, services.GetRequiredService<HeadsetReadModel>, ct) is not { } ctx) return Problems.NotFound("Headset", id);
        var gate = ctx.Gate(minutes, now);
        return TypedResults.Ok(new Readiness(id, gate.Ready, ctx.Hygiene(now).ToString(), minutes,
            gate.Reasons.Select(Problems.ToReason).ToList(), gate.Warnings.Select(Problems.ToReason).ToList()));
    }

    private static async Task<Results<Ok<IdResponse>, ProblemHttpResult>> Retire(
        string id, RetireRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<IdResponse>, ProblemHttpResult>> (now) =>
        {
            if (await db.Headsets.FindAsync([id], w.Ct) is not { } headset) return Problems.NotFound("Headset", id);
            if (headset.Retire(now, note) is { } refusal) return Problems.Conflict(refusal.Message, refusal.Code);
            audit.Record(w.Actor, "headset.retired", "headset", id, note);
            return TypedResults.Ok(new IdResponse(id));
        });
    }

    private static async Task<Results<Ok<IdResponse>, ProblemHttpResult>> Inspect(
        string id, RetireRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<IdResponse>, ProblemHttpResult>> (now) =>
        {
            if (await db.Headsets.FindAsync([id], w.Ct) is not { } headset) return Problems.NotFound("Headset", id);
            headset.LastInspectionAt = now;
            audit.Record(w.Actor, "headset.inspected", "headset", id, note);
            return TypedResults.Ok(new IdResponse(id));
        });
    }

    private static async Task<string> NextIdAsync(FleetDb db, CancellationToken ct)
    {
        var ids = await db.Headsets.Where(h => h.Id.StartsWith(IdPrefix)).Select(h => h.Id).ToListAsync(ct);
        var max = ids.Select(i => int.TryParse(i.AsSpan(IdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
        return $"{IdPrefix}{max + 1:0000}";
    }
}
