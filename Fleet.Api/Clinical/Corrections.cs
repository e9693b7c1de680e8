using Fleet.Api.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Clinical;

/// <summary>
/// Cleaning records are never edited: a correction is a new record naming the old one. Trace, compliance and FHIR read
/// the correction in place of the record it corrects, so a "valid" cleaning later corrected to an invalid one protects
/// no one.
/// </summary>
public static class Corrections
{
    /// <summary>For each corrected record of these headsets, the record that corrects it (the latest, if corrected more than once).</summary>
    public static async Task<Dictionary<Guid, Guid>> CorrectedByAsync(this FleetDb db, IReadOnlyCollection<string> headsetIds, CancellationToken ct) =>
        (await db.Cleanings.AsNoTracking()
            .Where(c => c.CorrectsId != null && headsetIds.Contains(c.HeadsetId))
            .Select(c => new { c.Id, Corrects = c.CorrectsId!.Value, c.RecordedAt })
            .ToListAsync(ct))
        .GroupBy(c => c.Corrects)
        .ToDictionary(g => g.Key, g => g.MaxBy(c => c.RecordedAt)!.Id);
}
