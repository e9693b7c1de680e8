using Fleet.Api.Infrastructure.Changes;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class CleaningDueTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ADirtyHeadsetIsDueForCleaningThirtyMinutesLaterThenOverdueWithAnAlert()
    {
        var start = _app.Time.GetUtcNow();
        await _app.RunJobAsync<CleaningDueJob>();

        var task = (await _app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem();
        task.Kind.ShouldBe(TaskKinds.CleaningDue);
        task.Status.ShouldBe("open");
        task.DueAt.ShouldBe(start.AddMinutes(30));
        task.WardId.ShouldBe("paediatrics");
        (await _app.TasksAsync("?due=true")).ShouldBeEmpty();
        (await _app.AlertsAsync("?open=true")).ShouldBeEmpty();

        using var listening = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var republished = FirstNoticeAbout("HS-0001", listening.Token);
        _app.Time.Advance(TimeSpan.FromMinutes(31));
        await _app.RunJobAsync<CleaningDueJob>();

        (await _app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem().Status.ShouldBe("overdue");
        (await _app.TasksAsync("?due=true&ward=burns")).Count.ShouldBe(6);
        var alert = (await _app.AlertsAsync("?open=true&headsetId=HS-0001")).ShouldHaveSingleItem();
        alert.Kind.ShouldBe(AlertKinds.CleaningOverdue);
        alert.OpenedAt.ShouldBe(start.AddMinutes(31));
        // The MQTT state publisher hears of it and tells the headset it needs cleaning.
        (await republished).ShouldBeTrue();
        var trail = await _app.AuditAsync("?entityId=HS-0001");
        trail.Select(e => e.Action).Reverse().ShouldBe(["task.opened", "task.overdue", "alert.opened"]);
        trail.ShouldAllBe(e => e.Actor == "system:jobs");
    }

    [Fact]
    public async Task AValidCleaningClosesTheDueTaskAndTheOverdueAlert()
    {
        await _app.RunJobAsync<CleaningDueJob>();
        _app.Time.Advance(TimeSpan.FromHours(1));
        await _app.RunJobAsync<CleaningDueJob>();

        await _app.CleanAsync("HS-0001");
        await _app.RunJobAsync<CleaningDueJob>();

        (await _app.TasksAsync("?headsetId=HS-0001")).ShouldBeEmpty();
        var done = (await _app.TasksAsync("?status=done")).ShouldHaveSingleItem();
        done.HeadsetId.ShouldBe("HS-0001");
        done.ClosedBy.ShouldBe("system:jobs");
        done.CloseReason!.ShouldContain("valid cleaning");
        var closed = (await _app.AlertsAsync("?open=false")).ShouldHaveSingleItem();
        closed.HeadsetId.ShouldBe("HS-0001");
        closed.ClosedBy.ShouldBe("system:jobs");
        (await _app.AlertsAsync("?open=true")).Count.ShouldBe(11);
        (await _app.TasksAsync("?kind=cleaning_due")).Count.ShouldBe(11);
    }

    [Fact]
    public async Task AnInvalidCleaningLeavesTheTaskOpen()
    {
        await _app.RunJobAsync<CleaningDueJob>();
        var nurse = await _app.ClientAs("nurse");
        var started = await (await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe"))).Read<CleaningStarted>();
        _app.Time.Advance(TimeSpan.FromSeconds(30)); // short of the 120 s contact time
        await nurse.Post($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null));
        await _app.RunJobAsync<CleaningDueJob>();

        (await _app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem().Status.ShouldBe("open");
    }

    [Fact]
    public async Task FiringAgainAndAgainOpensEachTaskAndAlertOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            await _app.RunJobAsync<CleaningDueJob>();
            _app.Time.Advance(TimeSpan.FromMinutes(20));
        }

        (await _app.TasksAsync()).Count.ShouldBe(12);
        (await _app.AlertsAsync()).Count.ShouldBe(12);
        (await _app.AuditAsync("?action=task.opened")).Count.ShouldBe(12);
        (await _app.AuditAsync("?action=task.overdue")).Count.ShouldBe(12);
    }

    [Fact]
    public async Task AShorterCleaningDueTimeInTheWardPolicyMovesTheDeadlineWithoutARestart()
    {
        var start = _app.Time.GetUtcNow();
        await _app.RunJobAsync<CleaningDueJob>();
        var infection = await _app.ClientAs("infection");
        await (await infection.Put("/api/v1/wards/paediatrics/policy", new WardPolicyRequest(24 * 60, 10, "06:00", 72, 15, 10, false)))
            .ShouldBe(System.Net.HttpStatusCode.OK);
        _app.Time.Advance(TimeSpan.FromMinutes(11));
        await _app.RunJobAsync<CleaningDueJob>();

        var task = (await _app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem();
        task.DueAt.ShouldBe(start.AddMinutes(10));
        task.Status.ShouldBe("overdue");
        (await _app.TasksAsync("?headsetId=HS-0007")).ShouldHaveSingleItem().Status.ShouldBe("open"); // burns kept 30 min
    }

    private Task<bool> FirstNoticeAbout(string headsetId, CancellationToken ct)
    {
        var changes = _app.Services.GetRequiredService<HeadsetChanges>();
        var notices = changes.Subscribe(ct).GetAsyncEnumerator(ct);
        var first = notices.MoveNextAsync().AsTask(); // subscribed from here on
        return WaitAsync();

        async Task<bool> WaitAsync()
        {
            try
            {
                for (var more = await first; more; more = await notices.MoveNextAsync())
                {
                    if (notices.Current.Contains(headsetId)) return true;
                }
                return false;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
