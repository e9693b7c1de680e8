using System.Globalization;
using System.Text;
using Fleet.Api.Clinical;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Clinical.Compliance;

public static class ComplianceApi
{
    public const string CsvType = "text/csv";

    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/compliance", "Compliance").RequireAuthorization(Policies.Audit);
        api.MapGet("/", Report).Refuses(400);
        api.MapGet("/records", Records).Refuses(400);
        return app;
    }

    /// <summary>JSON, or CSV with <c>format=csv</c> or <c>Accept: text/csv</c>. <c>to</c> defaults to now, <c>from</c> to 30 days before.</summary>
    private static async Task<Results<Ok<ComplianceReport>, FileContentHttpResult, ProblemHttpResult>> Report(
        [AsParameters] WardPeriod query, string? format, HttpRequest request, ComplianceService compliance, [AsParameters] ClinicalRead read)
    {
        var v = new Validator();
        var wardId = query.Ward is null ? null : v.Identifier("ward", query.Ward, 40);
        var (start, end) = ReadPeriod.Resolve(query.From?.Value, query.To?.Value, read.Time.GetUtcNow(), v);
        if (format is not (null or "json" or "csv")) v.Add("format", "must be json or csv.");
        if (v.Failed) return v.Problem();
        if (wardId is not null && !await read.Db.Wards.AnyAsync(w => w.Id == wardId, read.Ct)) return Problems.Validation("ward", $"There is no ward '{wardId}'.");

        var csv = format == "csv" || (format is null && request.Headers.Accept.ToString().Contains(CsvType, StringComparison.OrdinalIgnoreCase));
        var report = await compliance.ReportAsync(wardId, start, end, read.Ct);
        await read.RecordAsync("compliance.viewed", "ward", wardId ?? "all", new { from = start, to = end, format = csv ? "csv" : "json" });
        if (!csv) return TypedResults.Ok(report);
        var name = $"compliance-{wardId ?? "all"}-{start.UtcDateTime:yyyyMMdd'T'HHmm}-{end.UtcDateTime:yyyyMMdd'T'HHmm}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(ToCsv(report)), CsvType + "; charset=utf-8", name);
    }

    /// <summary>The records behind the report's counts for the same ward and period; <c>metric</c> keeps those of one count.</summary>
    private static async Task<Results<Ok<List<ComplianceRecord>>, ProblemHttpResult>> Records(
        [AsParameters] WardPeriod query, string? metric, ComplianceService compliance, [AsParameters] ClinicalRead read)
    {
        var v = new Validator();
        var wardId = query.Ward is null ? null : v.Identifier("ward", query.Ward, 40);
        var (start, end) = ReadPeriod.Resolve(query.From?.Value, query.To?.Value, read.Time.GetUtcNow(), v);
        if (metric is not null && (metric.Length > 80 || !ComplianceMetrics.IsKnown(metric)))
            v.Add("metric", "must be one of the report's counts, e.g. sessions, overdue or invalid:contact_time_not_met.");
        if (v.Failed) return v.Problem();
        if (wardId is not null && !await read.Db.Wards.AnyAsync(w => w.Id == wardId, read.Ct)) return Problems.Validation("ward", $"There is no ward '{wardId}'.");

        var records = await compliance.RecordsAsync(wardId, start, end, read.Ct);
        if (metric is not null) records = records.Where(r => r.Metrics.Contains(metric)).ToList();
        await read.RecordAsync("compliance.records_viewed", "ward", wardId ?? "all", new { from = start, to = end, metric, records = records.Count });
        return TypedResults.Ok(records);
    }

    /// <summary>One metric per line (metric,value), so the reasons, whatever they are, fit the same two columns.</summary>
    public static string ToCsv(ComplianceReport r)
    {
        var rows = new List<(string, object?)>
        {
            ("ward", r.WardId ?? "all"), ("from", Time(r.From)), ("to", Time(r.To)),
            ("sessions", r.Sessions), ("sessions_preceded_by_valid_cleaning", r.SessionsPrecededByValidCleaning),
            ("share_preceded_by_valid_cleaning", r.SharePrecededByValidCleaning),
            ("dirty_periods", r.DirtyPeriods), ("open_dirty_periods", r.OpenDirtyPeriods),
            ("dirty_to_clean_median_minutes", r.DirtyToCleanMedianMinutes), ("dirty_to_clean_p90_minutes", r.DirtyToCleanP90Minutes),
            ("overdue_count", r.OverdueCount), ("valid_cleanings", r.ValidCleanings), ("invalid_cleanings", r.InvalidCleanings),
        };
        rows.AddRange(r.InvalidCleaningsByReason.Select(kv => ("invalid_cleanings." + kv.Key, (object?)kv.Value)));
        var sb = new StringBuilder("metric,value\r\n");
        foreach (var (metric, value) in rows)
            sb.Append(Field(metric)).Append(',').Append(Field(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append("\r\n");
        return sb.ToString();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
