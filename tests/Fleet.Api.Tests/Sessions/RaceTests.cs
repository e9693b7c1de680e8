using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Api.Tests.Sessions;

public sealed class RaceTests
{
    [Fact]
    public async Task ManyParallelAssignmentsOfOneHeadsetLetExactlyOneWin()
    {
        using var app = new FleetApp();
        await app.CleanAsync("HS-0001");
        var scheduler = await app.ClientAs("scheduler");
        var nurse = await app.ClientAs("nurse");

        var attempts = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? scheduler : nurse)
            .Post("/api/v1/sessions", new AssignRequest("HS-0001", $"MRN-{i}", "paediatrics", 30, null)));
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        var losers = results.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        losers.Count.ShouldBe(39);
        foreach (var r in losers) await r.ShouldBeProblem(HttpStatusCode.Conflict, "in_use");
        (await scheduler.Get<List<SessionView>>("/api/v1/sessions?headsetId=HS-0001")).Count.ShouldBe(1);
    }

    /// <summary>Two API processes share one database file: the write lock of either cannot help, the database must decide.</summary>
    [Fact]
    public async Task TwoApiInstancesOnOneDatabaseStillLetExactlyOneAssignmentWin()
    {
        using var dir = new TempDirectory();
        using var first = new FleetApp(dir.Path);
        await first.CleanAsync("HS-0001");
        using var second = new FleetApp(dir.Path, time: first.Time);
        var a = await first.ClientAs("scheduler");
        var b = await second.ClientAs("scheduler");

        var attempts = Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? a : b)
            .Post("/api/v1/sessions", new AssignRequest("HS-0001", $"MRN-{i}", "paediatrics", 30, null)));
        var results = await Task.WhenAll(attempts);

        results.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1,
            string.Join(", ", results.Select(r => (int)r.StatusCode)));
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(29);
        (await a.Get<List<SessionView>>("/api/v1/sessions?headsetId=HS-0001")).Count.ShouldBe(1);
    }
}
