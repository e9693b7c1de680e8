using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Mqtt;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Commands;

public sealed record CommandRequest(string? Command, int? TtlSeconds);

public sealed record CommandView(Guid Id, string HeadsetId, string Command, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? PublishedAt, bool? ResultOk, string? ResultDetail, DateTimeOffset? ResultAt);

public static class CommandsApi
{
    public static IEndpointRouteBuilder MapCommandsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/headsets/{id}/commands", "Commands");
        api.MapPost("/", Issue).RequireAuthorization(Policies.Biomed).ReadsBody().Refuses(404);
        api.MapGet("/", List).Refuses(404);
        return app;
    }

    private static async Task<Results<Accepted<CommandView>, ProblemHttpResult>> Issue(
        string id, CommandRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit, CommandDispatcher dispatcher, IOptions<BrokerOptions> options)
    {
        var v = new Validator();
        if (body.Command is null || !Contracts.Mqtt.Commands.All.Contains(body.Command))
            v.Add("command", $"must be one of {string.Join(", ", Contracts.Mqtt.Commands.All)}.");
        var ttl = v.Range("ttlSeconds", body.TtlSeconds, 5, 24 * 3600, options.Value.CommandTtlSeconds);
        if (v.Failed) return v.Problem();

        var answer = await w.ChangeAsync(async Task<Results<Accepted<CommandView>, ProblemHttpResult>> (now) =>
        {
            if (!await db.Headsets.AnyAsync(h => h.Id == id, w.Ct)) return Problems.NotFound("Headset", id);
            var command = new HeadsetCommand
            {
                Id = Guid.CreateVersion7(now), HeadsetId = id, Command = body.Command!, IssuedBy = w.Name, IssuedAt = now, ExpiresAt = now.AddSeconds(ttl),
            };
            db.Add(command);
            audit.Record(w.Actor, "command.issued", "headset", id, data: new { commandId = command.Id, command.Command, command.ExpiresAt });
            return TypedResults.Accepted($"/api/v1/headsets/{id}/commands", ToView(command));
        });
        // The dispatcher publishes from the database, so waking it after a refusal costs one empty look.
        dispatcher.Wake();
        return answer;
    }

    private static async Task<Results<Ok<List<CommandView>>, ProblemHttpResult>> List(string id, FleetDb db, CancellationToken ct)
    {
        if (!await db.Headsets.AnyAsync(h => h.Id == id, ct)) return Problems.NotFound("Headset", id);
        var rows = await db.Set<HeadsetCommand>().AsNoTracking().Where(c => c.HeadsetId == id).OrderByDescending(c => c.IssuedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView).ToList());
    }

    public static CommandView ToView(HeadsetCommand c) =>
        new(c.Id, c.HeadsetId, c.Command, c.IssuedBy, c.IssuedAt, c.ExpiresAt, c.PublishedAt, c.ResultOk, c.ResultDetail, c.ResultAt);

    internal static CommandMessage ToMessage(HeadsetCommand c) => new(c.Id, c.Command, c.ExpiresAt);
}
