using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class ReplacementAndInspectionTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheFacialInterfaceIsDueForReplacementAtItsRatedCleaningsAndAReplacementClosesTheTask()
    {
        var admin = await _app.ClientAs("admin");
        await (await admin.Put("/api/v1/models/quest-3", new ModelRequest(null, "Meta", "Quest 3", 132, 500, 3, 2, 1500,
            [Methods.QuaternaryAmmonium, Methods.Hypochlorite, Methods.Uvc]))).ShouldBe(HttpStatusCode.OK);
        await _app.CleanAsync("HS-0001");
        await _app.RunJobAsync<FacialInterfaceJob>();
        (await _app.TasksAsync("?kind=facial_interface_replacement")).ShouldBeEmpty();

        await _app.CleanAsync("HS-0001");
        await _app.RunJobAsync<FacialInterfaceJob>();
        var task = (await _app.TasksAsync("?kind=facial_interface_replacement")).ShouldHaveSingleItem();
        task.HeadsetId.ShouldBe("HS-0001");
        task.DueAt.ShouldBe(_app.Time.GetUtcNow());
        task.OverdueAt.ShouldBe(_app.Time.GetUtcNow().AddDays(1));
        task.Message.ShouldContain("2 cleanings");

        _app.Time.Advance(TimeSpan.FromDays(1));
        await _app.RunJobAsync<FacialInterfaceJob>();
        (await _app.TasksAsync("?kind=facial_interface_replacement")).ShouldHaveSingleItem().Status.ShouldBe("overdue");

        var nurse = await _app.ClientAs("nurse");
        var started = await (await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe"))).Read<CleaningStarted>();
        _app.Time.Advance(TimeSpan.FromMinutes(2));
        await (await nurse.Post($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(true, "New foam interface fitted."))).ShouldBe(HttpStatusCode.OK);
        await _app.RunJobAsync<FacialInterfaceJob>();

        (await _app.TasksAsync("?kind=facial_interface_replacement")).ShouldBeEmpty();
        (await _app.TasksAsync("?status=done")).ShouldHaveSingleItem().CloseReason!.ShouldContain("replaced");
    }

    [Fact]
    public async Task APreventiveInspectionIsDueEvery180DaysAndRecordingOneClosesIt()
    {
        var biomed = await _app.ClientAs("biomed"); // starts the app: the headsets are registered now
        var registered = _app.Time.GetUtcNow();
        _app.Time.Advance(TimeSpan.FromDays(179));
        await _app.RunJobAsync<InspectionJob>();
        (await _app.TasksAsync("?kind=inspection")).ShouldBeEmpty();

        _app.Time.Advance(TimeSpan.FromDays(1));
        await _app.RunJobAsync<InspectionJob>();
        var tasks = await _app.TasksAsync("?kind=inspection&due=true");
        tasks.Count.ShouldBe(12);
        tasks.ShouldAllBe(t => t.DueAt == registered.AddDays(180) && t.Status == "open");

        _app.Time.Advance(TimeSpan.FromDays(14));
        await _app.RunJobAsync<InspectionJob>();
        (await _app.TasksAsync("?kind=inspection&status=overdue")).Count.ShouldBe(12);

        biomed = await _app.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0003/inspections", new RetireRequest("Lenses, IPD, strap and firmware checked."))).ShouldBe(HttpStatusCode.OK);
        await _app.RunJobAsync<InspectionJob>();

        (await _app.TasksAsync("?kind=inspection")).Count.ShouldBe(11);
        var done = (await _app.TasksAsync("?kind=inspection&status=done")).ShouldHaveSingleItem();
        done.HeadsetId.ShouldBe("HS-0003");
        done.CloseReason!.ShouldContain("next due");
    }

    [Fact]
    public async Task ARetiredHeadsetsTasksAreCancelled()
    {
        await _app.RunJobAsync<CleaningDueJob>();
        var biomed = await _app.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0005/retire", new RetireRequest("Cracked housing."))).ShouldBe(HttpStatusCode.OK);
        await _app.RunJobAsync<CleaningDueJob>();

        var cancelled = (await _app.TasksAsync("?status=cancelled")).ShouldHaveSingleItem();
        cancelled.HeadsetId.ShouldBe("HS-0005");
        cancelled.CloseReason.ShouldBe("The headset was retired.");
    }
}
