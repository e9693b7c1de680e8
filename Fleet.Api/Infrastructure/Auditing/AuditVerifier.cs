using Fleet.Api.Infrastructure.Data;
using Fleet.Contracts.Api;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Auditing;

/// <summary>Walks the whole chain and reports the first link that does not hold.</summary>
public sealed class AuditVerifier(FleetDb db)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        long expectedSeq = 1, checkedCount = 0;
        var prev = AuditTrail.Genesis;
        await foreach (var e in db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Seq != expectedSeq)
                return Broken(checkedCount, e.Seq, $"Entries {expectedSeq} to {e.Seq - 1} are missing.");
            if (e.PrevHash != prev)
                return Broken(checkedCount, e.Seq, $"Entry {e.Seq} does not follow entry {e.Seq - 1}: a row was removed, inserted or altered.");
            if (AuditTrail.ComputeHash(e) != e.Hash)
                return Broken(checkedCount, e.Seq, $"Entry {e.Seq} was altered after it was written.");
            prev = e.Hash;
            expectedSeq++;
            checkedCount++;
        }
        return new(true, checkedCount, null, null);
    }

    private static AuditVerification Broken(long count, long seq, string problem) => new(false, count, seq, problem);
}
