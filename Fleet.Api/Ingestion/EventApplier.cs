using System.Text.Json;
using Fleet.Api.Cleaning;
using Fleet.Api.Commands;
using Fleet.Api.Flags;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Sessions;
using Fleet.Contracts;
using Fleet.Contracts.Mqtt;
using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Ingestion;

/// <summary>
/// What each event type means for Fleet's state. State changes go through the same services as the REST API, so a
/// UV-C cycle reported by a cabinet is judged by exactly the rules a nurse's cleaning is.
/// </summary>
public sealed class EventApplier(FleetDb db, AuditTrail audit, HeadsetReadModel headsets, CleaningService cleanings,
    SessionService sessions, FlagService flags)
{
    public async Task<Rejection?> ApplyAsync(IIngestWriter sql, WriteScope write, ValidEvent e, DateTimeOffset now, CancellationToken ct)
    {
        var actor = Actor.Device(e.HeadsetId);
        // A device clock a little ahead must not place facts in Fleet's future.
        var at = e.At > now ? now : e.At;
        switch (e.Type)
        {
            case EventTypes.Heartbeat:
                return null;
            case EventTypes.Battery:
                var b = e.Battery!.Value;
                sql.Battery(e.Id, e.HeadsetId, at, b.Percent, b.Charging, b.TemperatureC, b.HealthPercent, b.CycleCount);
                write.MarkChanged(e.HeadsetId);
                return null;
            case EventTypes.DeviceInfo:
                var i = e.DeviceInfo!;
                sql.Device(e.Id, e.HeadsetId, at, i.Model, i.Firmware, i.Os, i.StorageFreeMb, i.WifiRssi);
                write.MarkChanged(e.HeadsetId);
                return null;
        }
        var d = e.Data;
        switch (e.Type)
        {
            case EventTypes.Worn:
                if (d.GetProperty("on").GetBoolean()) await WornAsync(e.HeadsetId, at, actor, "The proximity sensor reported it worn outside a session.", ct);
                return null;
            case EventTypes.SessionStarted:
                return await SessionStartedAsync(e, at, actor, ct);
            case EventTypes.SessionEnded:
                return await SessionEndedAsync(e, at, now, actor, ct);
            case EventTypes.CleaningCompleted:
                return await CabinetCycleAsync(e, at, now, actor, ct);
            case EventTypes.ComfortReport:
                var report = await flags.ReportComfortAsync(e.HeadsetId,
                    new ComfortEntry(OptionalGuid(d, "sessionId"), OptionalInt(d, "fms"), OptionalString(d, "note"), actor, at), actor, now, ct);
                return report.Failure is { } f ? Rejected(f) : null;
            case EventTypes.CommandResult:
                await CommandResultAsync(e, at, actor, ct);
                return null;
            default:
                return new(DeadLetterReasons.UnknownType, $"'{e.Type}' has no handler.");
        }
    }

    private async Task WornAsync(string headsetId, DateTimeOffset at, string actor, string reason, CancellationToken ct)
    {
        var ctx = (await headsets.FindAsync(headsetId, track: true, ct))!;
        var active = ctx.Headset.ActiveCleaningId;
        if (!ctx.Headset.ReportWorn(at)) return;
        if (active is { } a && ctx.Headset.ActiveCleaningId is null && await db.Cleanings.FindAsync([a], ct) is { } abandoned)
            abandoned.Abandon(at, "The headset was worn during the cleaning.");
        audit.Record(actor, "headset.worn", "headset", headsetId, reason, occurredAt: at);
    }

    private async Task<Rejection?> SessionStartedAsync(ValidEvent e, DateTimeOffset at, string actor, CancellationToken ct)
    {
        var sessionId = OptionalGuid(e.Data, "sessionId");
        var session = sessionId is { } sid ? await db.Sessions.FindAsync([sid], ct) : null;
        if (session is { } s && s.HeadsetId == e.HeadsetId && s.Open)
        {
            s.App = OptionalString(e.Data, "app") ?? s.App;
            audit.Record(actor, "session.app_started", "headset", e.HeadsetId, data: new { sessionId, app = s.App }, occurredAt: at);
            return null;
        }
        // An app started without an assignment means somebody may be wearing it: Fleet never assumes clean.
        await WornAsync(e.HeadsetId, at, actor, "A session started on the headset without an assignment in Fleet.", ct);
        return null;
    }

    private async Task<Rejection?> SessionEndedAsync(ValidEvent e, DateTimeOffset at, DateTimeOffset now, string actor, CancellationToken ct)
    {
        var d = e.Data;
        var sessionId = OptionalGuid(d, "sessionId");
        var wear = d.GetProperty("wearSeconds").GetInt64();
        var session = sessionId is { } sid ? await db.Sessions.FindAsync([sid], ct) : null;
        if (session is null || session.HeadsetId != e.HeadsetId)
        {
            await WornAsync(e.HeadsetId, at, actor, "A session ended on the headset that Fleet did not assign.", ct);
            return null;
        }
        if (session.Open)
        {
            var ended = await sessions.EndAsync(session.Id, actor, actor, at, wear, ct);
            if (ended.Failure is { } f) return Rejected(f);
        }
        var dropped = OptionalDouble(d, "droppedFramePercent");
        var lost = OptionalInt(d, "trackingLostCount");
        session.RecordPerformance(OptionalDouble(d, "fpsAvg"), dropped, lost, wear);
        session.App = OptionalString(d, "app") ?? session.App;
        if (MotionSicknessRules.AfterSession(dropped, lost, MotionSicknessPolicy.Default) is { } hit)
            await flags.AutoFlagAsync(e.HeadsetId, hit.Rule, hit.Note, now, ct);
        return null;
    }

    private async Task<Rejection?> CabinetCycleAsync(ValidEvent e, DateTimeOffset at, DateTimeOffset now, string actor, CancellationToken ct)
    {
        var d = e.Data;
        var product = await db.Products.AsNoTracking().Where(p => p.Class == ProductClass.UvcCabinet && p.Active).OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
        if (product is null) return new(DeadLetterReasons.Rejected, "There is no active UV-C cabinet product in the disinfectant catalogue.");
        var cabinet = OptionalString(d, "cabinetId");
        var cycle = TimeSpan.FromSeconds(d.GetProperty("cycleSeconds").GetInt64());
        var logged = await cleanings.LogAsync(e.HeadsetId, new LoggedCleaning(product.Id, at - cycle, at, false, null, null,
            "cabinet:" + (cabinet ?? "unknown"), cabinet ?? "unknown", d.GetProperty("completed").GetBoolean()), actor, now, ct);
        return logged.Failure is { } f ? Rejected(f) : null;
    }

    private async Task CommandResultAsync(ValidEvent e, DateTimeOffset at, string actor, CancellationToken ct)
    {
        var d = e.Data;
        var commandId = d.GetProperty("commandId").GetGuid();
        var ok = d.GetProperty("ok").GetBoolean();
        var detail = OptionalString(d, "detail");
        if (await db.Set<HeadsetCommand>().FindAsync([commandId], ct) is { } command && command.HeadsetId == e.HeadsetId && command.ResultAt is null)
        {
            command.ResultOk = ok;
            command.ResultDetail = detail;
            command.ResultAt = at;
        }
        audit.Record(actor, "command.result", "headset", e.HeadsetId, detail, new { commandId, ok }, occurredAt: at);
    }

    private static Rejection Rejected(Failure f) => new(DeadLetterReasons.Rejected, f.ToString());

    private static JsonElement? Optional(JsonElement d, string name) =>
        d.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string? OptionalString(JsonElement d, string name) => Optional(d, name)?.GetString();
    private static int? OptionalInt(JsonElement d, string name) => Optional(d, name)?.GetInt32();
    private static long? OptionalLong(JsonElement d, string name) => Optional(d, name)?.GetInt64();
    private static double? OptionalDouble(JsonElement d, string name) => Optional(d, name)?.GetDouble();
    private static Guid? OptionalGuid(JsonElement d, string name) => Optional(d, name)?.GetGuid();
}
