using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Flags;

/// <summary>The flag rules of product.md (comfort reports and the holds they raise) as users meet them through the API.</summary>
public sealed class FlagRulesThroughHttpTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ADiscomfortReportWithFms10RaisesAMotionSicknessHoldAutomatically()
    {
        await _app.CleanAsync("HS-0001");
        var s = await _app.AssignAsync("HS-0001", "MRN-77");
        await _app.EndAsync(s.Id);
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/comfort-reports", new ComfortReportRequest(null, 10, "Vomited after 10 min."));
        await r.ShouldBe(HttpStatusCode.Created);
        var report = await r.Read<ComfortReportView>();
        report.SessionId.ShouldBe(s.Id);
        report.FlagId.ShouldNotBeNull();

        var flags = await nurse.Get<List<FlagView>>("/api/v1/headsets/HS-0001/flags?open=true");
        flags.Single().Kind.ShouldBe("motion_sickness");
        flags.Single().RaisedByRule.ShouldBe("fms_single_report");
        await _app.CleanAsync("HS-0001");
        (await _app.ReadinessAsync("HS-0001")).Reasons.Select(x => x.Code).ShouldBe(["motion_sickness_flag"]);
    }

    [Fact]
    public async Task ReportsAnsweredByAnInspectionDoNotRaiseTheHoldAgain()
    {
        var nurse = await _app.ClientAs("nurse");
        async Task Report(string patient, int fms)
        {
            await _app.CleanAsync("HS-0001");
            var s = await _app.AssignAsync("HS-0001", patient);
            await _app.EndAsync(s.Id);
            await (await nurse.Post("/api/v1/headsets/HS-0001/comfort-reports", new ComfortReportRequest(s.Id, fms, null))).ShouldBe(HttpStatusCode.Created);
        }

        await Report("MRN-A", 6);
        (await nurse.Get<List<FlagView>>("/api/v1/headsets/HS-0001/flags?open=true")).ShouldBeEmpty();
        await Report("MRN-B", 7);
        var flag = (await nurse.Get<List<FlagView>>("/api/v1/headsets/HS-0001/flags?open=true")).Single();
        flag.RaisedByRule.ShouldBe("fms_repeated_reports");
        var biomed = await _app.ClientAs("biomed");
        await (await biomed.Post($"/api/v1/flags/{flag.Id}/clear", new ClearFlagRequest("Lens fogging fixed, IPD reset."))).ShouldBe(HttpStatusCode.OK);

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await Report("MRN-C", 5);
        (await nurse.Get<List<FlagView>>("/api/v1/headsets/HS-0001/flags?open=true")).ShouldBeEmpty();
        await Report("MRN-D", 5);
        (await nurse.Get<List<FlagView>>("/api/v1/headsets/HS-0001/flags?open=true")).Single().RaisedByRule.ShouldBe("fms_repeated_reports");
    }

    [Fact]
    public async Task AnFmsScoreOutsideZeroToTwentyIsRefused()
    {
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/comfort-reports", new ComfortReportRequest(null, 21, null));
        (await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("fms", out _).ShouldBeTrue();
    }
}
