using Fleet.Api.Clinical;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Data;
using Fleet.Contracts.Api;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Clinical.Compliance;

/// <summary>
/// The compliance report of product.md, derived from sessions, cleanings and the soilings in the audit trail:
/// <list type="bullet">
/// <item>sessions: those that started in [from, to) in the ward (the session's ward); preceded = the headset was Clean
/// (a valid cleaning after its last soiling, within the hang time) when the session started;</item>
/// <item>dirty periods: those that began in [from, to) on the ward's headsets (the headset's current ward); Dirty-to-Clean
/// minutes over the ones cleaned so far; overdue = cleaned later than the ward's cleaning-due time after the start, or
/// still open (until now, or until the headset was retired) past it;</item>
/// <item>cleanings: those completed in [from, to), valid or invalid; each broken rule of an invalid one counts once.</item>
/// <item>a corrected cleaning record counts as its correction says, everywhere above.</item>
/// </list>
/// Percentiles interpolate linearly between closest ranks (R type 7, Excel PERCENTILE.INC), so the median of an even
/// count is the mean of the middle two; figures are rounded to 0.01 min.
/// </summary>
public sealed class ComplianceService(FleetDb db, TimeProvider time)
{
    /// <summary>Soilings kept only in the audit trail (session ends are in the sessions table).</summary>
    public static readonly IReadOnlyList<string> SoilingAuditActions = ["headset.marked_dirty"];

    public async Task<ComplianceReport> ReportAsync(string? wardId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var s = await ScopeAsync(wardId, from, to, ct);
        var minutes = s.Periods.Where(p => p.Period.CleanedAt is not null)
            .Select(p => (p.Period.CleanedAt!.Value - p.Period.Start).TotalMinutes).Order().ToList();
        var invalid = s.Finished.Where(c => c.Status == CleaningStatus.Invalid).ToList();
        var precededCount = s.Sessions.Count(x => s.Preceded.GetValueOrDefault(x.Id));

        return new ComplianceReport
        {
            WardId = wardId, From = from, To = to,
            Sessions = s.Sessions.Count,
            SessionsPrecededByValidCleaning = precededCount,
            SharePrecededByValidCleaning = s.Sessions.Count == 0 ? null : (double)precededCount / s.Sessions.Count,
            DirtyToCleanMedianMinutes = Percentile(minutes, 0.5),
            DirtyToCleanP90Minutes = Percentile(minutes, 0.9),
            OverdueCount = s.Periods.Count(s.Overdue),
            DirtyPeriods = s.Periods.Count,
            OpenDirtyPeriods = s.Periods.Count(p => p.Period.CleanedAt is null),
            ValidCleanings = s.Finished.Count(c => c.Status == CleaningStatus.Valid),
            InvalidCleanings = invalid.Count,
            InvalidCleaningsByReason = invalid.SelectMany(c => c.InvalidCodeList.Distinct())
                .GroupBy(code => code).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    /// <summary>
    /// The records behind every count of <see cref="ReportAsync"/>, from the same scope, so a drill-down always lists
    /// exactly what was counted. Each record names the counts it is part of (<see cref="ComplianceMetrics"/>).
    /// </summary>
    public async Task<List<ComplianceRecord>> RecordsAsync(string? wardId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var s = await ScopeAsync(wardId, from, to, ct);
        var records = new List<ComplianceRecord>();
        foreach (var x in s.Sessions.OrderBy(x => x.StartedAt))
        {
            var ok = s.Preceded.GetValueOrDefault(x.Id);
            records.Add(new ComplianceRecord(ComplianceRecordKinds.Session, x.HeadsetId, x.StartedAt, x.StartedBy,
                ok ? "Started on a headset cleaned validly within the hang time." : "Started without a valid cleaning since the headset was last soiled.",
                ok ? [ComplianceMetrics.Sessions, ComplianceMetrics.Preceded] : [ComplianceMetrics.Sessions, ComplianceMetrics.NotPreceded]));
        }
        foreach (var p in s.Periods.OrderBy(p => p.Period.Start))
        {
            var metrics = new List<string> { ComplianceMetrics.DirtyPeriods };
            if (p.Period.CleanedAt is null) metrics.Add(ComplianceMetrics.OpenDirtyPeriods);
            if (s.Overdue(p)) metrics.Add(ComplianceMetrics.Overdue);
            var due = s.Policies[p.Headset.WardId].CleaningDue;
            var why = p.Period.CleanedAt is { } cleaned
                ? $"Dirty until cleaned after {(cleaned - p.Period.Start).TotalMinutes:0} min (due within {due.TotalMinutes:0} min)."
                : $"Not cleaned yet (due within {due.TotalMinutes:0} min).";
            records.Add(new ComplianceRecord(ComplianceRecordKinds.DirtyPeriod, p.Headset.Id, p.Period.Start, null, why, metrics));
        }
        foreach (var c in s.Finished.OrderBy(c => c.CompletedAt))
        {
            var valid = c.Status == CleaningStatus.Valid;
            var metrics = valid
                ? [ComplianceMetrics.ValidCleanings]
                : new List<string> { ComplianceMetrics.InvalidCleanings }.Concat(c.InvalidCodeList.Distinct().Select(ComplianceMetrics.InvalidBecause)).ToList();
            records.Add(new ComplianceRecord(ComplianceRecordKinds.Cleaning, c.HeadsetId, c.CompletedAt!.Value, c.Operator,
                valid ? $"Valid cleaning with {s.Products.GetValueOrDefault(c.ProductId, c.ProductId)}." : c.InvalidReason ?? "Invalid cleaning.", metrics));
        }
        return records;
    }

    private sealed record Scope(
        List<Session> Sessions, Dictionary<Guid, bool> Preceded, List<(DirtyPeriod Period, Headset Headset)> Periods,
        List<CleaningRecord> Finished, Dictionary<string, HygienePolicy> Policies, Dictionary<string, string> Products, DateTimeOffset Now)
    {
        /// <summary>Cleaned later than the ward's cleaning-due time after it began, or still open (until now or retirement) past it.</summary>
        public bool Overdue((DirtyPeriod Period, Headset Headset) p)
        {
            var end = p.Period.CleanedAt ?? (p.Headset.RetiredAt is { } retired && retired < Now ? retired : Now);
            return end > p.Period.Start + Policies[p.Headset.WardId].CleaningDue;
        }
    }

    private async Task<Scope> ScopeAsync(string? wardId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var policies = await db.Wards.AsNoTracking().ToDictionaryAsync(w => w.Id, w => w.Policy, ct);
        var scopeSessions = await db.Sessions.AsNoTracking()
            .Where(s => (wardId == null || s.WardId == wardId) && s.StartedAt >= from && s.StartedAt < to).ToListAsync(ct);
        var wardHeadsetIds = await db.Headsets.Where(h => wardId == null || h.WardId == wardId).Select(h => h.Id).ToListAsync(ct);
        var ids = wardHeadsetIds.Union(scopeSessions.Select(s => s.HeadsetId)).ToList();

        var headsets = await db.Headsets.AsNoTracking().Where(h => ids.Contains(h.Id)).ToListAsync(ct);
        var sessions = (await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.HeadsetId)).ToListAsync(ct)).ToLookup(s => s.HeadsetId);
        var corrected = await db.CorrectedByAsync(ids, ct);
        var cleanings = (await db.Cleanings.AsNoTracking().Where(c => ids.Contains(c.HeadsetId) && c.CompletedAt != null).ToListAsync(ct))
            .Where(c => !corrected.ContainsKey(c.Id)).ToLookup(c => c.HeadsetId);
        var soilings = (await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.EntityType == "headset" && ids.Contains(a.EntityId) && SoilingAuditActions.Contains(a.Action))
            .Select(a => new { a.EntityId, a.At, a.OccurredAt }).ToListAsync(ct)).ToLookup(a => a.EntityId, a => a.OccurredAt ?? a.At);

        var preceded = new Dictionary<Guid, bool>();
        var periods = new List<(DirtyPeriod Period, Headset Headset)>();
        var wardHeadsets = wardHeadsetIds.ToHashSet();
        foreach (var h in headsets)
        {
            var replay = HygieneTimeline.Replay(new TimelineInput
            {
                HeadsetId = h.Id, RegisteredAt = h.RegisteredAt, Sessions = [.. sessions[h.Id]], Cleanings = [.. cleanings[h.Id]],
                Soilings = [.. soilings[h.Id]], HangTime = policies[h.WardId].HangTime, Now = now,
            });
            foreach (var (id, ok) in replay.PrecededByValidCleaning) preceded[id] = ok;
            if (wardHeadsets.Contains(h.Id))
                periods.AddRange(replay.DirtyPeriods.Where(p => p.Start >= from && p.Start < to).Select(p => (p, h)));
        }

        var finished = cleanings.Where(g => wardHeadsets.Contains(g.Key)).SelectMany(g => g)
            .Where(c => c.CompletedAt >= from && c.CompletedAt < to).ToList();
        var products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return new Scope(scopeSessions, preceded, periods, finished, policies, products, now);
    }

    /// <summary>Linear interpolation between closest ranks (R type 7) over sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = Math.Round((sorted.Count - 1) * p, 9); // 0.9 is inexact in binary; keep whole ranks whole
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return Math.Round(sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]), 2);
    }
}
