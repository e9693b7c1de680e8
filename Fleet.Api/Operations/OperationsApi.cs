using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Hygiene;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Operations;

/// <summary>Scheduled tasks, alerts and the fleet health summary.</summary>
public static class OperationsApi
{
    public const int MaxRows = 1000;
    public static readonly TimeSpan ReplacementHorizon = TimeSpan.FromDays(90);

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("", "Operations");
        api.MapGet("/tasks", Tasks).Refuses(400);
        api.MapPost("/tasks/{id}/complete", Complete).RequireAuthorization(Policies.Clean).ReadsBody().Refuses(404, 409);
        api.MapGet("/alerts", Alerts).Refuses(400);
        api.MapGet("/fleet/health", Health);
        return app;
    }

    /// <summary>Without a status, the tasks still to do (open or overdue); <c>due=true</c> keeps those whose due time has come.</summary>
    private static async Task<Results<Ok<List<TaskView>>, ProblemHttpResult>> Tasks(
        [AsParameters] TaskFilter filter, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var (due, status, kind, headsetId, ward) = filter;
        var v = new Validator();
        if (status is not null && !TaskStatuses.All.Contains(status)) v.Add("status", $"must be one of {string.Join(", ", TaskStatuses.All)}.");
        if (kind is not null && !TaskKinds.All.Contains(kind)) v.Add("kind", $"must be one of {string.Join(", ", TaskKinds.All)}.");
        if (v.Failed) return v.Problem();

        var now = time.GetUtcNow();
        var q = db.Set<ScheduledTask>().AsNoTracking();
        q = status is null ? q.Where(t => t.ClosedAt == null) : q.Where(t => t.Status == status);
        if (due is { } d) q = d ? q.Where(t => t.DueAt <= now) : q.Where(t => t.DueAt > now);
        if (kind is not null) q = q.Where(t => t.Kind == kind);
        if (headsetId is not null) q = q.Where(t => t.HeadsetId == headsetId);
        if (ward is not null) q = q.Where(t => t.WardId == ward);
        var rows = await q.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(MaxRows).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(OperationsViews.Task).ToList());
    }

    /// <summary>
    /// Only the daily deep clean is completed by hand: every other task closes itself when the action that resolves
    /// it is recorded (a valid cleaning, a replaced facial interface, an inspection).
    /// </summary>
    private static async Task<Results<Ok<TaskView>, ProblemHttpResult>> Complete(
        Guid id, CompleteTaskRequest body, [AsParameters] WriteContext w, FleetDb db, Ledger ledger)
    {
        var v = new Validator();
        var note = v.RequiredText("note", body.Note);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<TaskView>, ProblemHttpResult>> (now) =>
        {
            if (await db.Set<ScheduledTask>().FindAsync([id], w.Ct) is not { } task) return Problems.NotFound("Task", id.ToString());
            if (task.ClosedAt is not null) return Problems.Conflict($"The task is already {task.Status}.");
            if (task.Kind != TaskKinds.DeepClean)
                return Problems.Conflict($"A {task.Kind} task closes itself when its work is recorded ({ResolvedBy(task.Kind)}).");
            ledger.CloseTask(task, TaskStatuses.Done, w.Actor, note, now);
            return TypedResults.Ok(OperationsViews.Task(task));
        });
    }

    private static string ResolvedBy(string kind) => kind switch
    {
        TaskKinds.CleaningDue => "a valid cleaning",
        TaskKinds.FacialInterfaceReplacement => "a cleaning that records the replacement",
        _ => "POST /api/v1/headsets/{id}/inspections",
    };

    private static async Task<Results<Ok<List<AlertView>>, ProblemHttpResult>> Alerts(
        bool? open, string? headsetId, string? kind, FleetDb db, CancellationToken ct)
    {
        if (kind is not null && !AlertKinds.All.Contains(kind))
            return Problems.Validation("kind", $"must be one of {string.Join(", ", AlertKinds.All)}.");
        var q = db.Set<Alert>().AsNoTracking();
        if (open is { } o) q = o ? q.Where(a => a.ClosedAt == null) : q.Where(a => a.ClosedAt != null);
        if (headsetId is not null) q = q.Where(a => a.HeadsetId == headsetId);
        if (kind is not null) q = q.Where(a => a.Kind == kind);
        var rows = await q.OrderByDescending(a => a.OpenedAt).ThenBy(a => a.Id).Take(MaxRows).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(OperationsViews.Alert).ToList());
    }

    private static async Task<Ok<FleetHealth>> Health(HeadsetReadModel headsets, FleetDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var all = await headsets.ListAsync(null, track: false, ct);
        var inService = all.Where(c => !c.Headset.Retired).Select(c => HeadsetViews.Summary(c, now, UsageRates.None)).ToList();
        var byId = inService.ToDictionary(s => s.Id);
        var alerts = await db.Set<Alert>().AsNoTracking().Where(a => a.ClosedAt == null).ToListAsync(ct);
        var horizon = now + ReplacementHorizon;
        var soon = await db.Set<LifetimeForecast>().AsNoTracking()
            .Where(f => f.ReachesFullAt != null && f.ReachesFullAt <= horizon).ToListAsync(ct);

        return TypedResults.Ok(new FleetHealth
        {
            Total = all.Count,
            Retired = all.Count - inService.Count,
            Ready = inService.Count(s => s.Ready),
            Online = inService.Count(s => s.Online),
            ByState = Enum.GetNames<HygieneState>().ToDictionary(s => s, s => inService.Count(h => h.Hygiene == s)),
            OpenAlertsByKind = alerts.GroupBy(a => a.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            OpenAlerts = alerts.OrderByDescending(a => a.OpenedAt).Select(OperationsViews.Alert).ToList(),
            DueForReplacement = soon.Where(f => byId.ContainsKey(f.HeadsetId))
                .GroupBy(f => f.HeadsetId)
                .Select(g => g.OrderBy(f => f.ReachesFullAt).First())
                .Select(f => new ReplacementDue(f.HeadsetId, HeadsetViews.DimensionName(f.Dimension), f.ReachesFullAt!.Value, byId[f.HeadsetId].LifetimeConsumedPercent))
                .OrderBy(r => r.ForecastAt).ThenBy(r => r.HeadsetId, StringComparer.Ordinal)
                .ToList(),
        });
    }
}

/// <summary>The task list's query string; every part optional.</summary>
public readonly record struct TaskFilter(bool? Due, string? Status, string? Kind, string? HeadsetId, string? Ward);
