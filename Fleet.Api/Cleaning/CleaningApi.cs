using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Cleaning;

public static class CleaningApi
{
    public static IEndpointRouteBuilder MapCleaningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("", "Cleaning");
        api.MapPost("/headsets/{id}/cleanings", Start).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404, 409, 422);
        api.MapPost("/cleanings/{id}/complete", Complete).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404, 409, 422);
        api.MapPost("/headsets/{id}/cleanings/log", Log).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404, 409, 422);
        api.MapGet("/headsets/{id}/cleanings", History).Refuses(404);
        api.MapGet("/cleanings/{id}", Get).Refuses(404);
        api.MapPost("/headsets/{id}/dirty", MarkDirty).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404, 409);
        api.MapGet("/cleaning-queue", Queue).Refuses(400);
        return app;
    }

    private static async Task<Results<Created<CleaningStarted>, ProblemHttpResult>> Start(
        string id, StartCleaningRequest body, [AsParameters] WriteContext w, CleaningService cleanings)
    {
        var v = new Validator();
        var productId = v.Identifier("productId", body.ProductId, 40);
        var replaceReason = v.Optional("replaceReason", body.ReplaceReason, 500);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async now => (await cleanings.StartAsync(id, productId, w.Name, w.Actor, now, w.Ct, replaceReason))
            .Respond(r => TypedResults.Created($"/api/v1/cleanings/{r.Id}",
                new CleaningStarted(r.Id, r.HeadsetId, r.ProductId, r.ContactSeconds, r.StartedAt, CleaningRules.EarliestCompletion(r.StartedAt, TimeSpan.FromSeconds(r.ContactSeconds))))));
    }

    /// <summary>An invalid cleaning is kept (it is part of the record) and answered 422 with the record and its problems.</summary>
    private static async Task<Results<Ok<CleaningView>, UnprocessableEntity<CleaningView>, ProblemHttpResult>> Complete(
        Guid id, [FromBody] CompleteCleaningRequest? body, [AsParameters] WriteContext w, CleaningService cleanings)
    {
        var v = new Validator();
        var note = v.Optional("note", body?.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<CleaningView>, UnprocessableEntity<CleaningView>, ProblemHttpResult>> (now) =>
        {
            var result = await cleanings.CompleteAsync(id, body?.FacialInterfaceReplaced ?? false, note, w.Actor, now, w.Ct);
            if (result.Failure is { } f) return f.ToProblem();
            var view = ToView(result.Value!);
            return view.Valid ? TypedResults.Ok(view) : TypedResults.UnprocessableEntity(view);
        });
    }

    private static async Task<Results<Created<CleaningView>, ProblemHttpResult>> Log(
        string id, LogCleaningRequest body, [AsParameters] WriteContext w, CleaningService cleanings)
    {
        var v = new Validator();
        var productId = v.Identifier("productId", body.ProductId, 40);
        if (body.StartedAt is null) v.Add("startedAt", "is required.");
        if (body.CompletedAt is null) v.Add("completedAt", "is required.");
        if (body.StartedAt > body.CompletedAt) v.Add("completedAt", "must not be before startedAt.");
        var note = v.Optional("note", body.Note);
        if (v.Failed) return v.Problem();

        var entry = new LoggedCleaning(productId, body.StartedAt!.Value, body.CompletedAt!.Value, body.FacialInterfaceReplaced ?? false,
            note, body.CorrectsId, w.Name);
        return await w.ChangeAsync(async now => (await cleanings.LogAsync(id, entry, w.Actor, now, w.Ct))
            .Respond(r => TypedResults.Created($"/api/v1/cleanings/{r.Id}", ToView(r))));
    }

    private static async Task<Results<Ok<List<CleaningView>>, ProblemHttpResult>> History(string id, FleetDb db, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);
        var rows = await db.Cleanings.AsNoTracking().Where(c => c.HeadsetId == id).OrderByDescending(c => c.StartedAt).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    private static async Task<Results<Ok<CleaningView>, ProblemHttpResult>> Get(Guid id, FleetDb db, CancellationToken ct) =>
        await db.Cleanings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } r
            ? TypedResults.Ok(ToView(r))
            : Problems.NotFound("Cleaning", id.ToString());

    private static async Task<Results<Ok<HeadsetSummary>, ProblemHttpResult>> MarkDirty(
        string id, MarkDirtyRequest body, [AsParameters] WriteContext w, HeadsetReadModel headsets, FleetDb db, AuditTrail audit, UsageRateReader rates)
    {
        var v = new Validator();
        var reason = v.RequiredText("reason", body.Reason);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<HeadsetSummary>, ProblemHttpResult>> (now) =>
        {
            if (await headsets.FindAsync(id, track: true, w.Ct) is not { } ctx) return Problems.NotFound("Headset", id);
            var active = ctx.Headset.ActiveCleaningId;
            if (ctx.Headset.MarkDirty(now) is { } refusal) return Problems.Conflict(refusal.Message, refusal.Code);
            if (active is { } a && await db.Cleanings.FindAsync([a], w.Ct) is { } abandoned)
                abandoned.Abandon(now, "Marked dirty during the cleaning.");
            audit.Record(w.Actor, "headset.marked_dirty", "headset", id, reason);
            return TypedResults.Ok(HeadsetViews.Summary(ctx, now, (await rates.ReadAsync([id], now, w.Ct))[id]));
        });
    }

    private static async Task<Ok<List<CleaningQueueItem>>> Queue(string? ward, HeadsetReadModel headsets, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var all = await headsets.ListAsync(ward, track: false, ct);
        var activeIds = all.Select(c => c.Headset.ActiveCleaningId).OfType<Guid>().ToList();
        var active = await db.Cleanings.AsNoTracking().Where(c => activeIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var items = all
            .Where(c => !c.Headset.Retired && c.Hygiene(now).NeedsCleaning())
            .Select(c =>
            {
                var since = c.Headset.NeedsCleaningSince(c.Policy, now)!.Value;
                var due = since + c.Policy.CleaningDue;
                var running = c.Headset.ActiveCleaningId is { } a ? active.GetValueOrDefault(a) : null;
                return new CleaningQueueItem
                {
                    HeadsetId = c.Headset.Id, AssetTag = c.Headset.AssetTag, WardId = c.Headset.WardId,
                    Hygiene = c.Hygiene(now).ToString(), NeedsCleaningSince = since, DueAt = due, Overdue = now > due,
                    SporicidalRequired = c.Headset.SporicidalRequired, ActiveCleaningId = running?.Id,
                    ActiveCleaningEarliestCompletion = running is null ? null : CleaningRules.EarliestCompletion(running.StartedAt, TimeSpan.FromSeconds(running.ContactSeconds)),
                    FacialInterfaceCleanings = c.Headset.Counters.FacialInterfaceCleanings, FacialInterfaceRating = c.Model.FacialInterfaceRating,
                };
            })
            .OrderBy(i => i.DueAt).ThenBy(i => i.HeadsetId, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(items);
    }

    public static CleaningView ToView(CleaningRecord r) => new()
    {
        Id = r.Id, HeadsetId = r.HeadsetId, ProductId = r.ProductId, Method = HeadsetViews.MethodName(r.Method),
        ContactSeconds = r.ContactSeconds, Operator = r.Operator, CabinetId = r.CabinetId, StartedAt = r.StartedAt,
        EarliestCompletion = CleaningRules.EarliestCompletion(r.StartedAt, TimeSpan.FromSeconds(r.ContactSeconds)),
        CompletedAt = r.CompletedAt, Status = r.Status.ToString(), Valid = r.Valid,
        Problems = r.Problems.Select(Problems.ToReason).ToList(),
        Late = r.Late, FacialInterfaceReplaced = r.FacialInterfaceReplaced, SporicidalRequired = r.SporicidalRequired,
        Note = r.Note, CorrectsId = r.CorrectsId, RecordedAt = r.RecordedAt,
    };
}
