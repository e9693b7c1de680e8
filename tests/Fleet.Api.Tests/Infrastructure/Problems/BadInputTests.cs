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
}
