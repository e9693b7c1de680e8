using Fleet.Api.Clinical;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Clinical.Trace;

public static class TraceApi
{
    public const int DefaultDepth = 2;
    public const int MaxDepth = 5;

    public static IEndpointRouteBuilder MapTraceApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("", "Trace").MapGet("/trace", Trace).RequireAuthorization(Policies.Audit).Refuses(400, 404);
        return app;
    }

    /// <summary>Exposure trace for a patient or a headset; <c>to</c> defaults to now and <c>from</c> to 30 days before it.</summary>
    private static async Task<Results<Ok<TraceResult>, ProblemHttpResult>> Trace(
        [AsParameters] TraceRequest q, ExposureTracer tracer, [AsParameters] ClinicalRead read)
    {
        var v = new Validator();
        var (patientRef, headsetId, from, to, depth) = q;
        if ((patientRef is null) == (headsetId is null)) v.Add("patientRef", "is needed, or a headset instead; give one of them, not both.");
        var subjectPatient = patientRef is null ? null : v.Identifier("patientRef", patientRef, 64);
        var subjectHeadset = headsetId is null ? null : v.Identifier("headsetId", headsetId, 40);
        var levels = v.Range("depth", depth, 1, MaxDepth, DefaultDepth);
        var (start, end) = ReadPeriod.Resolve(from?.Value, to?.Value, read.Time.GetUtcNow(), v);
        if (v.Failed) return v.Problem();
        if (subjectHeadset is not null && !await read.Db.Headsets.AnyAsync(h => h.Id == subjectHeadset, read.Ct))
            return Problems.NotFound("Headset", subjectHeadset);

        var result = await tracer.TraceAsync(new TraceQuery(subjectPatient, subjectHeadset, start, end, levels), read.Ct);
        await read.RecordAsync("trace.viewed", subjectPatient is null ? "headset" : "patient", subjectPatient ?? subjectHeadset!,
            new { from = start, to = end, depth = levels, links = result.Links.Count, exposed = result.ExposedPatients.Count });
        return TypedResults.Ok(result);
    }
}

/// <summary>The query of an exposure trace: a patient or a headset, the period and how many hand-overs deep.</summary>
public readonly record struct TraceRequest(string? PatientRef, string? HeadsetId, UtcTime? From, UtcTime? To, int? Depth);
