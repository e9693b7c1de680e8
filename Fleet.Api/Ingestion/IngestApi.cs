using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Ingestion;

public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("", "Ingestion").RequireAuthorization(Policies.Biomed);
        api.MapGet("/ingest/stats", Stats).Refuses(400);
        api.MapGet("/dead-letters", DeadLetters).Refuses(400);
        return app;
    }

    private static async Task<Ok<IngestStats>> Stats(string? headsetId, FleetDb db, CancellationToken ct)
    {
        var counters = await db.Set<IngestCounters>().AsNoTracking().FirstOrDefaultAsync(ct) ?? new IngestCounters();
        var q = db.Set<IngestHeadsetStats>().AsNoTracking();
        if (headsetId is not null) q = q.Where(s => s.HeadsetId == headsetId);
        var headsets = (await q.OrderBy(s => s.HeadsetId).ToListAsync(ct)).Select(s =>
        {
            var ranges = SeqRanges.Parse(s.Ranges);
            return new HeadsetIngestStats(s.HeadsetId, ranges.LastSeq, s.Stored, ranges.MissingCount, ranges.Gaps().Take(100).ToList());
        }).ToList();
        return TypedResults.Ok(new IngestStats
        {
            Received = counters.Received, Stored = counters.Stored, Duplicates = counters.Duplicates,
            DeadLettered = counters.DeadLettered, Headsets = headsets,
        });
    }

    private static async Task<Results<Ok<List<DeadLetterView>>, ProblemHttpResult>> DeadLetters(
        string? headsetId, string? reason, int? limit, FleetDb db, CancellationToken ct)
    {
        var v = new Validator();
        var take = v.Range("limit", limit, 1, 1000, 100);
        if (v.Failed) return v.Problem();
        var q = db.Set<DeadLetter>().AsNoTracking();
        if (headsetId is not null) q = q.Where(d => d.HeadsetId == headsetId);
        if (reason is not null) q = q.Where(d => d.Reason == reason);
        var rows = await q.OrderByDescending(d => d.Id).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(d => new DeadLetterView
        {
            Id = d.Id, At = d.At, Topic = d.Topic, Reason = d.Reason, Detail = d.Detail, HeadsetId = d.HeadsetId,
            PayloadBase64 = Convert.ToBase64String(d.Payload), PayloadBytes = d.PayloadBytes,
        }).ToList());
    }
}
