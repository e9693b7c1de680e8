using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auditing;

/// <summary>The audit list pages by sequence number and filters by actor and family of actions (the headset page's history).</summary>
public sealed class AuditPagingTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PagesFollowEachOtherWithoutGapsOrRepeatsEvenWhenNewEntriesArriveBetweenThem()
    {
        for (var i = 0; i < 3; i++) await _app.CleanAsync("HS-0001");
        var biomed = await _app.ClientAs("biomed");
        var all = await biomed.Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001");
        all.Count.ShouldBeGreaterThan(5);

        var first = await biomed.Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&limit=4");
        await _app.CleanAsync("HS-0001"); // appended between the two pages
        var second = await biomed.Get<List<AuditEntryView>>($"/api/v1/audit?entityId=HS-0001&limit=4&before={first[^1].Seq}");

        first.Concat(second).Select(a => a.Seq).ShouldBe(all.Take(8).Select(a => a.Seq));
        await (await biomed.GetAsync("/api/v1/audit?before=0")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task TheListFiltersByActorAndByAFamilyOfActions()
    {
        await _app.CleanAsync("HS-0001");
        var biomed = await _app.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0001/dirty", new MarkDirtyRequest("Dropped on the floor."))).ShouldBe(HttpStatusCode.OK);

        var byBiomed = await biomed.Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&actor=user:biomed");
        byBiomed.ShouldNotBeEmpty();
        byBiomed.ShouldAllBe(a => a.Actor == "user:biomed");
        var cleanings = await biomed.Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&actionPrefix=cleaning.");
        cleanings.Select(a => a.Action).ShouldContain("cleaning.completed");
        cleanings.ShouldAllBe(a => a.Action.StartsWith("cleaning."));
    }

    [Fact]
    public async Task ACleaningSaysWhenItsContactTimeIsMet()
    {
        var nurse = await _app.ClientAs("nurse");
        var started = await (await nurse.Post("/api/v1/headsets/HS-0002/cleanings", new StartCleaningRequest("quat-wipe"))).Read<CleaningStarted>();
        var view = await nurse.Get<CleaningView>($"/api/v1/cleanings/{started.Id}");
        view.EarliestCompletion.ShouldBe(started.EarliestCompletion);
        view.EarliestCompletion.ShouldBe(view.StartedAt.AddSeconds(120));
    }
}
