using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Compliance;

/// <summary>The records behind each compliance count, on the same burns-ward day as <see cref="ComplianceReportTests"/>.</summary>
public sealed class ComplianceRecordsTests(ComplianceHistory history) : IClassFixture<ComplianceHistory>
{
    private static readonly string Day = $"from={ComplianceHistory.T(9, 0):O}&to={ComplianceHistory.T(20, 0):O}".Replace("+", "%2B");

    [Fact]
    public async Task EveryCountHasExactlyAsManyRecordsBehindItAsTheReportSays()
    {
        var report = await (await history.App.ClientAs("infection")).Get<ComplianceReport>("/api/v1/compliance?ward=burns&" + Day);
        var records = await Records("ward=burns&" + Day);

        int Count(string metric) => records.Count(r => r.Metrics.Contains(metric));
        Count(ComplianceMetrics.Sessions).ShouldBe(report.Sessions);
        Count(ComplianceMetrics.Preceded).ShouldBe(report.SessionsPrecededByValidCleaning);
        Count(ComplianceMetrics.NotPreceded).ShouldBe(report.Sessions - report.SessionsPrecededByValidCleaning);
        Count(ComplianceMetrics.DirtyPeriods).ShouldBe(report.DirtyPeriods);
        Count(ComplianceMetrics.OpenDirtyPeriods).ShouldBe(report.OpenDirtyPeriods);
        Count(ComplianceMetrics.Overdue).ShouldBe(report.OverdueCount);
        Count(ComplianceMetrics.ValidCleanings).ShouldBe(report.ValidCleanings);
        Count(ComplianceMetrics.InvalidCleanings).ShouldBe(report.InvalidCleanings);
        foreach (var (code, n) in report.InvalidCleaningsByReason) Count(ComplianceMetrics.InvalidBecause(code)).ShouldBe(n, code);
    }

    [Fact]
    public async Task ARecordSaysWhichHeadsetWhenWhoAndWhyButNeverNamesThePatient()
    {
        var notPreceded = await Records($"ward=burns&metric={ComplianceMetrics.NotPreceded}&" + Day);

        var b3 = notPreceded.ShouldHaveSingleItem(); // B3 followed the cleaning that was corrected to an invalid one
        b3.Kind.ShouldBe(ComplianceRecordKinds.Session);
        b3.HeadsetId.ShouldBe("HS-0007");
        b3.At.ShouldBe(ComplianceHistory.T(11, 30));
        b3.Who.ShouldBe("scheduler");
        b3.Why.ShouldContain("without a valid cleaning");
        b3.Why.ShouldNotContain("B3");

        var tooShort = await Records("ward=burns&metric=invalid:product_not_allowed_for_model&" + Day);
        var hypochlorite = tooShort.ShouldHaveSingleItem();
        hypochlorite.HeadsetId.ShouldBe("HS-0009");
        hypochlorite.Why.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task LookingAtTheRecordsIsAudited()
    {
        await Records($"ward=burns&metric={ComplianceMetrics.Overdue}&" + Day, "biomed");

        var audit = await (await history.App.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?action=compliance.records_viewed&entityId=burns");
        var entry = audit.Where(a => a.Actor == "user:biomed").ShouldHaveSingleItem();
        entry.Data!.ShouldContain("\"metric\":\"overdue\"");
    }

    [Theory]
    [InlineData("nurse", "ward=burns", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("infection", "metric=everything", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("infection", "metric=invalid:", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("infection", "ward=nowhere", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task ABadRecordsRequestSaysWhatIsWrong(string user, string query, HttpStatusCode status, string code)
    {
        var r = await (await history.App.ClientAs(user)).GetAsync("/api/v1/compliance/records?" + query);
        await r.ShouldBeProblem(status, code);
    }

    private async Task<List<ComplianceRecord>> Records(string query, string user = "infection") =>
        await (await history.App.ClientAs(user)).Get<List<ComplianceRecord>>("/api/v1/compliance/records?" + query);
}
