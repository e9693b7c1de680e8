using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auditing;

public sealed class AuditChainTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EveryStateChangeIsInTheTrailWithItsActorAndReason()
    {
        await _app.CleanAsync("HS-0001");
        var session = await _app.AssignAsync("HS-0001");
        await _app.EndAsync(session.Id);
        var nurse = await _app.ClientAs("nurse");
        await nurse.Post("/api/v1/headsets/HS-0002/dirty", new MarkDirtyRequest("Dropped on the floor."));

        var trail = await (await _app.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001");
        trail.Select(e => e.Action).Reverse().ShouldBe(["cleaning.started", "cleaning.completed", "session.started", "session.ended"]);
        trail.Single(e => e.Action == "session.started").Actor.ShouldBe("user:scheduler");
        trail.Single(e => e.Action == "cleaning.completed").Actor.ShouldBe("user:nurse");

        var dirty = await (await _app.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0002");
        dirty.Single().Reason.ShouldBe("Dropped on the floor.");
    }

    [Fact]
    public async Task VerifyReportsARowEditedDirectlyInTheDatabase()
    {
        await _app.CleanAsync("HS-0001");
        await _app.AssignAsync("HS-0001");
        var auditor = await _app.ClientAs("infection");
        var intact = await auditor.Get<AuditVerification>("/api/v1/audit/verify");
        intact.Intact.ShouldBeTrue(intact.Problem);
        intact.EntriesChecked.ShouldBeGreaterThanOrEqualTo(4);

        var target = (await auditor.Get<List<AuditEntryView>>("/api/v1/audit?action=cleaning.completed")).Single().Seq;
        using (var db = _app.OpenDatabase())
        {
            using var cmd = db.CreateCommand();
            // The table refuses updates by trigger; someone with file access could still drop it, and the chain must tell.
            cmd.CommandText = $"""
                DROP TRIGGER audit_entries_no_update{(_app.OnPostgres ? " ON audit_entries" : "")};
                UPDATE audit_entries SET "Actor" = 'user:someone-else' WHERE "Seq" = {target};
                """;
            cmd.ExecuteNonQuery();
        }

        var broken = await auditor.Get<AuditVerification>("/api/v1/audit/verify");
        broken.Intact.ShouldBeFalse();
        broken.FirstBrokenSeq.ShouldBe(target);
        broken.Problem!.ShouldContain("altered");
    }

    [Fact]
    public async Task VerifyReportsADeletedRow()
    {
        await _app.CleanAsync("HS-0001");
        await _app.CleanAsync("HS-0002");
        using (var db = _app.OpenDatabase())
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""DROP TRIGGER audit_entries_no_delete{(_app.OnPostgres ? " ON audit_entries" : "")}; DELETE FROM audit_entries WHERE "Seq" = 3;""";
            cmd.ExecuteNonQuery();
        }
        var result = await (await _app.ClientAs("admin")).Get<AuditVerification>("/api/v1/audit/verify");
        result.Intact.ShouldBeFalse();
        result.FirstBrokenSeq.ShouldBe(4);
    }

    [Fact]
    public async Task TheDatabaseRefusesToUpdateOrDeleteAuditRows()
    {
        await _app.CleanAsync("HS-0001");
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """UPDATE audit_entries SET "Reason" = 'x' WHERE "Seq" = 1""";
        Should.Throw<System.Data.Common.DbException>(() => cmd.ExecuteNonQuery()).Message.ShouldContain("append-only");
        cmd.CommandText = "DELETE FROM audit_entries";
        Should.Throw<System.Data.Common.DbException>(() => cmd.ExecuteNonQuery()).Message.ShouldContain("append-only");
    }

    [Fact]
    public async Task NursesAndSchedulersMayNotReadTheAuditTrail()
    {
        await (await (await _app.ClientAs("nurse")).GetAsync("/api/v1/audit")).ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await (await _app.ClientAs("scheduler")).GetAsync("/api/v1/audit/verify")).ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }
}
