using System.Security.Claims;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;

namespace Fleet.Api.Clinical;

/// <summary>
/// What every read of patient-linked records (trace, compliance, FHIR searches) needs, bound in one parameter with
/// <c>[AsParameters]</c>: who asks, because the lookup itself is audited, the database and the clock.
/// </summary>
public readonly record struct ClinicalRead(ClaimsPrincipal User, ReadAudit Audit, FleetDb Db, TimeProvider Time, CancellationToken Ct)
{
    /// <summary>Records who looked at what, committed before the answer is sent.</summary>
    public Task RecordAsync(string action, string entityType, string entityId, object data) =>
        Audit.RecordAsync(User, action, entityType, entityId, data, Ct);
}

/// <summary>A ward and period from the query string: <c>?ward=&amp;from=&amp;to=</c> (see <see cref="ReadPeriod"/>).</summary>
public readonly record struct WardPeriod(string? Ward, UtcTime? From, UtcTime? To);
