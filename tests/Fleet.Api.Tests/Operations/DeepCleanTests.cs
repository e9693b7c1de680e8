using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

/// <summary>The clock starts at 08:00 UTC; the wards' deep clean is at 06:00 UTC, overdue 30 min later.</summary>
public sealed class DeepCleanTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    private DateTimeOffset Today => new(_app.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    [Fact]
    public async Task EachWardHasOneDeepCleanADayDueAtItsTimeAndOverdueAfterTheCleaningDueTime()
    {
        var today = Today;
        await _app.RunJobAsync<DeepCleanJob>();
        await _app.RunJobAsync<DeepCleanJob>();

        var tasks = await _app.TasksAsync("?kind=deep_clean");
        tasks.Select(t => t.WardId).Order().ShouldBe(["burns", "paediatrics"]);
        tasks.ShouldAllBe(t => t.DueAt == today.AddHours(6) && t.OverdueAt == today.AddHours(6.5) && t.Status == "overdue" && t.HeadsetId == null);

        _app.Time.SetUtcNow(today.AddDays(1).AddHours(6).AddMinutes(10));
        await _app.RunJobAsync<DeepCleanJob>();
        var tomorrow = (await _app.TasksAsync("?kind=deep_clean&ward=paediatrics")).ShouldHaveSingleItem();
        tomorrow.DueAt.ShouldBe(today.AddDays(1).AddHours(6));
        tomorrow.Status.ShouldBe("open");
        var missed = (await _app.TasksAsync("?status=cancelled&ward=paediatrics")).ShouldHaveSingleItem();
        missed.DueAt.ShouldBe(today.AddHours(6));
        missed.CloseReason!.ShouldStartWith("Missed");

        _app.Time.Advance(TimeSpan.FromMinutes(25));
        await _app.RunJobAsync<DeepCleanJob>();
        (await _app.TasksAsync("?kind=deep_clean&ward=paediatrics")).ShouldHaveSingleItem().Status.ShouldBe("overdue");
        (await _app.AuditAsync("?entityId=paediatrics&action=task.opened")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ANurseCompletesTheDeepCleanWithANoteAndTheNextDayBringsANewOne()
    {
        await _app.RunJobAsync<DeepCleanJob>();
        var task = (await _app.TasksAsync("?kind=deep_clean&ward=burns")).ShouldHaveSingleItem();
        var nurse = await _app.ClientAs("nurse");

        var done = await (await nurse.Post($"/api/v1/tasks/{task.Id}/complete", new CompleteTaskRequest("All 6 headsets, straps and interfaces wiped."))).Read<TaskView>();

        done.Status.ShouldBe("done");
        done.ClosedBy.ShouldBe("user:nurse");
        var audit = (await _app.AuditAsync("?entityId=burns&action=task.closed")).ShouldHaveSingleItem();
        audit.Actor.ShouldBe("user:nurse");
        audit.Reason.ShouldBe("All 6 headsets, straps and interfaces wiped.");
        await (await nurse.Post($"/api/v1/tasks/{task.Id}/complete", new CompleteTaskRequest("again"))).ShouldBeProblem(HttpStatusCode.Conflict, "conflict");

        await _app.RunJobAsync<DeepCleanJob>();
        (await _app.TasksAsync("?kind=deep_clean&ward=burns")).ShouldBeEmpty(); // done for today

        _app.Time.SetUtcNow(Today.AddDays(1).AddHours(6));
        await _app.RunJobAsync<DeepCleanJob>();
        (await _app.TasksAsync("?kind=deep_clean&ward=burns")).ShouldHaveSingleItem().Id.ShouldNotBe(task.Id);
        (await _app.TasksAsync("?status=done")).ShouldHaveSingleItem().Id.ShouldBe(task.Id);
    }

    [Fact]
    public async Task OnlyTheDeepCleanIsCompletedByHandAndOnlyByThoseWhoClean()
    {
        await _app.RunJobAsync<DeepCleanJob>();
        await _app.RunJobAsync<CleaningDueJob>();
        var deepClean = (await _app.TasksAsync("?kind=deep_clean")).First();
        var cleaningDue = (await _app.TasksAsync("?kind=cleaning_due")).First();

        var nurse = await _app.ClientAs("nurse");
        var refused = await (await nurse.Post($"/api/v1/tasks/{cleaningDue.Id}/complete", new CompleteTaskRequest("wiped it")))
            .ShouldBeProblem(HttpStatusCode.Conflict, "conflict");
        refused.GetProperty("detail").GetString()!.ShouldContain("valid cleaning");
        await (await nurse.Post($"/api/v1/tasks/{deepClean.Id}/complete", new CompleteTaskRequest(" ")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await nurse.Post($"/api/v1/tasks/{Guid.NewGuid()}/complete", new CompleteTaskRequest("x")))
            .ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
        var scheduler = await _app.ClientAs("scheduler");
        await (await scheduler.Post($"/api/v1/tasks/{deepClean.Id}/complete", new CompleteTaskRequest("x")))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task TheTaskListRejectsAnUnknownStatusOrKind()
    {
        var nurse = await _app.ClientAs("nurse");
        await (await nurse.GetAsync("/api/v1/tasks?status=later")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await nurse.GetAsync("/api/v1/tasks?kind=laundry")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await nurse.GetAsync("/api/v1/alerts?kind=fire")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}
