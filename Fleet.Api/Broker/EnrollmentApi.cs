using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Broker;

public static class EnrollmentApi
{
    public static IEndpointRouteBuilder MapEnrollmentApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/headsets", "Headsets").MapPost("/{id}/enroll", Enroll).RequireAuthorization(Policies.Biomed).Refuses(404, 409, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public const string BrokerUnavailable = "broker_unavailable";

    /// <summary>
    /// Issues (or rotates) the agent's broker credentials. The broker is changed first: if recording it then failed,
    /// a retry simply rotates again. The password is returned once and never stored by Fleet.
    /// </summary>
    private static async Task<Results<Ok<EnrollmentView>, ProblemHttpResult>> Enroll(
        string id, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit, DynamicSecurityAccounts accounts, IOptions<BrokerOptions> options)
    {
        if (!accounts.Available)
            return Problems.Unavailable("Fleet cannot issue agent credentials: the broker's dynamic-security administrator is not configured.", BrokerUnavailable);
        return await w.ChangeAsync(async Task<Results<Ok<EnrollmentView>, ProblemHttpResult>> (now) =>
        {
            if (await db.Headsets.FindAsync([id], w.Ct) is not { } headset) return Problems.NotFound("Headset", id);
            if (headset.Retired) return Problems.Conflict($"{id} is retired; retired headsets get no credentials.", Codes.Retired);

            string password;
            try
            {
                password = await accounts.IssueHeadsetAsync(id, w.Ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Problems.Unavailable($"The broker did not accept the new credentials: {e.Message}", BrokerUnavailable);
            }
            var entry = db.Entry(headset);
            var rotated = entry.Property<DateTimeOffset?>("EnrolledAt").CurrentValue is not null;
            entry.Property<DateTimeOffset?>("EnrolledAt").CurrentValue = now;
            audit.Record(w.Actor, rotated ? "headset.credentials_rotated" : "headset.enrolled", "headset", id,
                rotated ? "New agent credentials issued; the old ones stopped working." : "Agent credentials issued.");
            return TypedResults.Ok(new EnrollmentView(id, id, password, options.Value.TopicPrefix, now, Fleet.Contracts.Mqtt.Topics.HeadsetClientId(id)));
        });
    }
}
