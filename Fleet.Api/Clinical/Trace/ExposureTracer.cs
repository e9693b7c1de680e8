using Fleet.Api.Clinical;
using Fleet.Api.Infrastructure.Data;
using Fleet.Contracts.Api;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Clinical.Trace;

/// <summary>Exactly one of <see cref="PatientRef"/> and <see cref="HeadsetId"/>.</summary>
public sealed record TraceQuery(string? PatientRef, string? HeadsetId, DateTimeOffset From, DateTimeOffset To, int Depth);

/// <summary>
/// Follows headsets forward from the subject's sessions in the period: every later session on the same headset by another
/// patient (up to <c>to</c>) is a hand-over, judged by <see cref="HandOver.Judge"/>. A protected hand-over is listed but
/// ends the chain there (the valid cleaning broke it); an unprotected one exposes the later patient, whose sessions from
/// that moment on are followed at the next depth. A source session links forward only until its own patient uses the
/// headset again, because that later session is a source of its own.
/// </summary>
public sealed class ExposureTracer(FleetDb db)
{
    private readonly Dictionary<string, List<Session>> _byHeadset = [];
    private readonly Dictionary<string, List<Session>> _byPatient = [];
    private readonly Dictionary<string, List<CleaningRecord>> _cleanings = [];

    public async Task<TraceResult> TraceAsync(TraceQuery q, CancellationToken ct)
    {
        var sources = q.PatientRef is { } subject
            ? await SessionsOfPatientAsync(subject, q, ct)
            : await SessionsOnHeadsetAsync(q.HeadsetId!, q, ct);
        var sourcePatients = sources.Select(s => s.PatientRef).Distinct().Order(StringComparer.Ordinal).ToList();
        // A subject patient is followed everywhere from the start; a subject headset's users only on that headset
        // until a hand-over exposes them.
        var expandedSince = q.PatientRef is { } p ? new Dictionary<string, DateTimeOffset> { [p] = q.From } : [];
        var links = new Dictionary<(Guid, Guid), TraceLink>();
        var exposed = new HashSet<string>();
        var headsets = new SortedSet<string>(StringComparer.Ordinal);

        for (var depth = 1; depth <= q.Depth && sources.Count > 0; depth++)
        {
            var reached = new Dictionary<string, DateTimeOffset>();
            headsets.UnionWith(sources.Select(s => s.HeadsetId));
            foreach (var a in sources.Where(s => s.EndedAt is not null))
            {
                var onHeadset = await SessionsOnHeadsetAsync(a.HeadsetId, q, ct);
                var later = onHeadset.Where(b => b.Id != a.Id && b.StartedAt >= a.EndedAt).ToList();
                foreach (var b in later)
                {
                    if (b.PatientRef == a.PatientRef) break;
                    if (b.PatientRef == q.PatientRef || links.ContainsKey((a.Id, b.Id))) continue;
                    var between = later.Count(s => s.StartedAt < b.StartedAt);
                    var verdict = HandOver.Judge(a, b, await CleaningsAsync(a.HeadsetId, q, ct), between);
                    links[(a.Id, b.Id)] = new TraceLink
                    {
                        Depth = depth, HeadsetId = a.HeadsetId, FromPatientRef = a.PatientRef, FromSessionId = a.Id,
                        FromSessionEndedAt = a.EndedAt!.Value, ToPatientRef = b.PatientRef, ToSessionId = b.Id,
                        ToSessionStartedAt = b.StartedAt, ValidCleaningBetween = verdict.Protected, CleaningId = verdict.Cleaning?.Id,
                        Explanation = verdict.Explanation,
                    };
                    if (verdict.Protected) continue;
                    exposed.Add(b.PatientRef);
                    if (!reached.TryGetValue(b.PatientRef, out var since) || b.StartedAt < since) reached[b.PatientRef] = b.StartedAt;
                }
            }

            sources = [];
            foreach (var (patient, since) in reached)
            {
                // Already followed from an earlier moment: those sessions are sources already.
                if (expandedSince.TryGetValue(patient, out var done) && done <= since) continue;
                expandedSince[patient] = since;
                sources.AddRange((await SessionsOfPatientAsync(patient, q, ct)).Where(s => s.StartedAt >= since));
            }
        }

        return new TraceResult
        {
            PatientRef = q.PatientRef, HeadsetId = q.HeadsetId, From = q.From, To = q.To, Depth = q.Depth,
            Headsets = [.. headsets],
            Links = links.Values.OrderBy(l => l.Depth).ThenBy(l => l.FromSessionEndedAt).ThenBy(l => l.ToSessionStartedAt).ToList(),
            ExposedPatients = exposed.Order(StringComparer.Ordinal).ToList(),
            SourcePatients = sourcePatients,
        };
    }

    // Everything the trace can reach lies in the period: sources overlap it and every hand-over ends inside it.
    private async Task<List<Session>> SessionsOnHeadsetAsync(string headsetId, TraceQuery q, CancellationToken ct) =>
        _byHeadset.TryGetValue(headsetId, out var cached) ? cached : _byHeadset[headsetId] =
            await InPeriod(db.Sessions.AsNoTracking().Where(s => s.HeadsetId == headsetId), q).ToListAsync(ct);

    private async Task<List<Session>> SessionsOfPatientAsync(string patientRef, TraceQuery q, CancellationToken ct) =>
        _byPatient.TryGetValue(patientRef, out var cached) ? cached : _byPatient[patientRef] =
            await InPeriod(db.Sessions.AsNoTracking().Where(s => s.PatientRef == patientRef), q).ToListAsync(ct);

    /// <summary>The cleanings that stand: a corrected record is replaced by its correction.</summary>
    private async Task<List<CleaningRecord>> CleaningsAsync(string headsetId, TraceQuery q, CancellationToken ct)
    {
        if (_cleanings.TryGetValue(headsetId, out var cached)) return cached;
        var corrected = await db.CorrectedByAsync([headsetId], ct);
        return _cleanings[headsetId] = (await db.Cleanings.AsNoTracking()
                .Where(c => c.HeadsetId == headsetId && c.StartedAt <= q.To && (c.CompletedAt == null || c.CompletedAt >= q.From))
                .OrderBy(c => c.StartedAt).ToListAsync(ct))
            .Where(c => !corrected.ContainsKey(c.Id)).ToList();
    }

    private static IQueryable<Session> InPeriod(IQueryable<Session> sessions, TraceQuery q) => sessions
        .Where(s => s.StartedAt <= q.To && (s.EndedAt == null || s.EndedAt >= q.From))
        .OrderBy(s => s.StartedAt).ThenBy(s => s.Id);
}
