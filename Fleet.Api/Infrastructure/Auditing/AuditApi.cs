using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Auditing;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/audit", "Audit").RequireAuthorization(Policies.Audit);
        api.MapGet("/", List).Refuses(400);
        api.MapGet("/verify", async (AuditVerifier verifier, CancellationToken ct) => TypedResults.Ok(await verifier.VerifyAsync(ct)));
        return app;
    }

    /// <summary>
    /// Newest first. Paged by sequence number: <c>before</c> (the last <c>seq</c> of a page) gives the next,
    /// older page, so a page never repeats or skips an entry while new ones are appended. <c>actor</c> is an
    /// exact actor (<c>user:nurse</c>); <c>actionPrefix</c> a family of actions (<c>cleaning.</c>).
    /// </summary>
    private static async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> List(
        [AsParameters] AuditFilter filter, FleetDb db, CancellationToken ct)
    {
        var (entityId, from, to, action, actionPrefix, actor, before, limit) = filter;
        var v = new Validator();
        var take = v.Range("limit", limit, 1, 5000, 500);
        if (before is < 1) v.Add("before", "must be a sequence number of 1 or more.");
        if (v.Failed) return v.Problem();
        var q = db.Set<AuditEntry>().AsNoTracking();
        if (entityId is not null) q = q.Where(a => a.EntityId == entityId);
        if (action is not null) q = q.Where(a => a.Action == action);
        if (actionPrefix is not null) q = q.Where(a => a.Action.StartsWith(actionPrefix));
        if (actor is not null) q = q.Where(a => a.Actor == actor);
        if (before is { } b) q = q.Where(a => a.Seq < b);
        if (from?.Value is { } f) q = q.Where(a => a.At >= f);
        if (to?.Value is { } t) q = q.Where(a => a.At <= t);
        var rows = await q.OrderByDescending(a => a.Seq).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new AuditEntryView(a.Seq, a.At, a.Actor, a.Action, a.EntityType, a.EntityId,
            a.Reason, a.Data, a.Late, a.OccurredAt, a.Hash)).ToList());
    }
}

/// <summary>The audit history's query string; every part optional.</summary>
public readonly record struct AuditFilter(
    string? EntityId, UtcTime? From, UtcTime? To, string? Action, string? ActionPrefix, string? Actor, long? Before, int? Limit);
