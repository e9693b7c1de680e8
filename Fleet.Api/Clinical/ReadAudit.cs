using System.Security.Claims;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Writes;

namespace Fleet.Api.Clinical;

/// <summary>
/// Looking up a patient's history is itself recorded: who looked, at whom, for which period. The entry is committed
/// before the answer is sent, so no lookup goes unrecorded.
/// </summary>
public sealed class ReadAudit(Writes writes, AuditTrail audit)
{
    public async Task RecordAsync(ClaimsPrincipal user, string action, string entityType, string entityId, object data, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
        audit.Record(Actor.User(user), action, entityType, entityId, data: data);
        await write.CommitAsync(ct);
    }
}
