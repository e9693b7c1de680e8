using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Writes;

/// <summary>A write the database refuses part-way leaves nothing half written.</summary>
public sealed class FailedWriteTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AFailedRequestLeavesNothingHalfWritten()
    {
        await _app.CleanAsync("HS-0001");
        long auditRowsBefore;
        using (var db = _app.OpenDatabase())
        {
            auditRowsBefore = Scalar(db, "SELECT COUNT(*) FROM audit_entries");
            // The session insert is the last statement of the assignment: make the database refuse it, after
            // the headset row was already updated to InUse in the same transaction.
            Exec(db, _app.OnPostgres
                ? """
                  CREATE FUNCTION fail_sessions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
                  CREATE TRIGGER fail_sessions BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION fail_sessions();
                  """
                : """CREATE TRIGGER fail_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;""");
        }

        var scheduler = await _app.ClientAs("scheduler");
        var r = await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "MRN-7", "paediatrics", 30, null));
        ((int)r.StatusCode).ShouldBe(500);

        using (var db = _app.OpenDatabase())
        {
            Scalar(db, "SELECT COUNT(*) FROM sessions").ShouldBe(0);
            Scalar(db, "SELECT COUNT(*) FROM audit_entries").ShouldBe(auditRowsBefore);
            Exec(db, _app.OnPostgres ? "DROP TRIGGER fail_sessions ON sessions;" : "DROP TRIGGER fail_sessions;");
        }
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Clean);
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();
        await _app.AssignAsync("HS-0001", "MRN-7");
    }

    private static long Scalar(System.Data.Common.DbConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Exec(System.Data.Common.DbConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
