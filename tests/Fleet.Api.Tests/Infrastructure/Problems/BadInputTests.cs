using System.Net;
using System.Text;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.Data.Sqlite;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Problems;

public sealed class BadInputTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task MissingFieldsGet400NamingEachField()
    {
        var scheduler = await _app.ClientAs("scheduler");
        var r = await scheduler.Post("/api/v1/sessions", new { wardId = "paediatrics", sessionMinutes = 0 });
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("patientRef", out _).ShouldBeTrue(problem.ToString());
        errors.TryGetProperty("sessionMinutes", out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task AWrongJsonTypeGets400NamingTheField()
    {
        var biomed = await _app.ClientAs("biomed");
        var body = new StringContent("""{"serial":"SN-9","assetTag":"VR-9","modelId":42,"wardId":"burns"}""", Encoding.UTF8, "application/json");
        var r = await biomed.PostAsync("/api/v1/headsets", body);
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").TryGetProperty("modelId", out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task MalformedJsonGets400()
    {
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.PostAsync("/api/v1/headsets/HS-0001/cleanings", new StringContent("{\"productId\":", Encoding.UTF8, "application/json"));
        await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task PatientNamesAreRefusedAsPatientReferences()
    {
        await _app.CleanAsync("HS-0001");
        var scheduler = await _app.ClientAs("scheduler");
        var r = await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "Jane Doe", "paediatrics", 30, null));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").TryGetProperty("patientRef", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("GET", "/api/v1/headsets/HS-9999")]
    [InlineData("GET", "/api/v1/headsets/HS-9999/readiness")]
    [InlineData("POST", "/api/v1/headsets/HS-9999/cleanings")]
    [InlineData("POST", "/api/v1/cleanings/0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d/complete")]
    [InlineData("POST", "/api/v1/sessions/0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d/end")]
    [InlineData("POST", "/api/v1/flags/0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d/clear")]
    [InlineData("GET", "/api/v1/wards/nowhere/policy")]
    public async Task AnUnknownIdGets404(string method, string url)
    {
        var admin = await _app.ClientAs("admin");
        var r = method == "GET" ? await admin.GetAsync(url) : await admin.Post(url, new { productId = "quat-wipe", note = "n" });
        await r.ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
    }

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
