using System.Net;
using System.Net.Http.Headers;
using Fleet.Api.Tests.Clinical.Trace;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Compliance;

/// <summary>
/// A day on the burns ward (all times UTC, headsets registered Dirty at 08:00 and cleaned 08:00-08:06):
/// <code>
/// HS-0007  B1 09:00-09:30 | clean 09:40-09:42 (12 min dirty) | B2 10:00-10:30 | clean 11:15-11:17, corrected at 12:05 to
///          60 s of quat (invalid) | B3 11:30-12:00, so not preceded by a valid cleaning | clean 12:10-12:12 (102 min dirty)
/// HS-0008  marked dirty 13:00 | clean 13:05-13:06 (6 min) | 30 s of alcohol logged for 13:30 (invalid)
/// HS-0009  hypochlorite for 60 s logged for 13:40 (invalid twice: not allowed on a Vive, too short) | B5 15:00-15:30, not
///          cleaned by 16:30 (open and overdue)
/// HS-0001  (paediatrics) clean 15:30-15:32 | P1 15:35-16:00 (open, not yet overdue at 16:30)
/// </code>
/// </summary>
public sealed class ComplianceHistory : IAsyncLifetime
{
    public FleetApp App { get; } = new();

    public static DateTimeOffset T(int hour, int minute, int second = 0) => TraceHistory.T(hour, minute, second);

    public async Task InitializeAsync()
    {
        await App.CleanAsync("HS-0007");
        await App.CleanAsync("HS-0008");
        await App.CleanAsync("HS-0009");

        await UseAsync("HS-0007", "B1", T(9, 0));
        await CleanAsync("HS-0007", T(9, 40));
        await UseAsync("HS-0007", "B2", T(10, 0));
        var corrected = await CleanAsync("HS-0007", T(11, 15));
        await UseAsync("HS-0007", "B3", T(11, 30));
        App.Time.SetUtcNow(T(12, 5));
        await App.LogCleaningAsync("HS-0007", "quat-wipe", T(11, 15), T(11, 16), corrected.Id);
        await CleanAsync("HS-0007", T(12, 10));

        App.Time.SetUtcNow(T(13, 0));
        await App.MarkDirtyAsync("HS-0008");
        await CleanAsync("HS-0008", T(13, 5), "peroxide-wipe");
        App.Time.SetUtcNow(T(14, 0));
        await App.LogCleaningAsync("HS-0008", "alcohol-wipe", T(13, 30), T(13, 30, 30));
        await App.LogCleaningAsync("HS-0009", "hypochlorite-wipe", T(13, 40), T(13, 41));
        await UseAsync("HS-0009", "B5", T(15, 0));

        await CleanAsync("HS-0001", T(15, 30));
        App.Time.SetUtcNow(T(15, 35));
        await App.UseAsync("HS-0001", "P1", 25);
        App.Time.SetUtcNow(T(16, 30));
    }

    private async Task UseAsync(string headsetId, string patientRef, DateTimeOffset at)
    {
        App.Time.SetUtcNow(at);
        await App.UseAsync(headsetId, patientRef, wardId: "burns");
    }

    private async Task<CleaningView> CleanAsync(string headsetId, DateTimeOffset at, string product = "quat-wipe")
    {
        App.Time.SetUtcNow(at);
        return await App.CleanAsync(headsetId, product);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ComplianceReportTests(ComplianceHistory history) : IClassFixture<ComplianceHistory>
{
    private static DateTimeOffset T(int hour, int minute) => ComplianceHistory.T(hour, minute);

    private static string Period(DateTimeOffset from, DateTimeOffset to) => $"from={from:O}&to={to:O}".Replace("+", "%2B");

    [Fact]
    public async Task TheWardsFiguresAreWhatTheHistorySays()
    {
        var report = await Report("ward=burns&" + Period(T(9, 0), T(20, 0)));

        report.WardId.ShouldBe("burns");
        report.Sessions.ShouldBe(4);
        report.SessionsPrecededByValidCleaning.ShouldBe(3); // B3 followed a corrected cleaning
        report.SharePrecededByValidCleaning.ShouldBe(0.75);
        report.DirtyPeriods.ShouldBe(4);
        report.OpenDirtyPeriods.ShouldBe(1);
        report.DirtyToCleanMedianMinutes.ShouldBe(12); // of 6, 12 and 102
        report.DirtyToCleanP90Minutes.ShouldBe(84); // 12 + 0.8 x (102 - 12)
        report.OverdueCount.ShouldBe(2); // the 102 min one and the one open since 15:30
        report.ValidCleanings.ShouldBe(3); // 09:42, 12:12, 13:06; the corrected 11:17 one no longer counts
        report.InvalidCleanings.ShouldBe(3);
        report.InvalidCleaningsByReason.ShouldBe(new Dictionary<string, int>
        {
            ["contact_time_not_met"] = 3,
            ["product_not_allowed_for_model"] = 1,
        });
    }

    [Fact]
    public async Task APeriodCountsWhatStartedInItAndTheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo()
    {
        var report = await Report("ward=burns&" + Period(T(9, 0), T(12, 0)));

        report.Sessions.ShouldBe(3);
        report.SessionsPrecededByValidCleaning.ShouldBe(2);
        report.DirtyPeriods.ShouldBe(2);
        report.DirtyToCleanMedianMinutes.ShouldBe(57); // (12 + 102) / 2
        report.DirtyToCleanP90Minutes.ShouldBe(93); // 12 + 0.9 x 90
        report.OverdueCount.ShouldBe(1);
        report.ValidCleanings.ShouldBe(1);
        report.InvalidCleanings.ShouldBe(1);
    }

    [Fact]
    public async Task WithoutAWardEveryWardCounts()
    {
        var report = await Report(Period(T(9, 0), T(20, 0)));

        report.WardId.ShouldBeNull();
        report.Sessions.ShouldBe(5);
        report.SharePrecededByValidCleaning.ShouldBe(0.8);
        report.DirtyPeriods.ShouldBe(5);
        report.OpenDirtyPeriods.ShouldBe(2);
        report.OverdueCount.ShouldBe(2); // P1's headset has been dirty for exactly 30 min: due, not overdue
        report.ValidCleanings.ShouldBe(4);
    }

    [Fact]
    public async Task AnEmptyPeriodHasNoShareAndNoPercentiles()
    {
        var report = await Report("ward=paediatrics&" + Period(T(17, 0), T(18, 0)));

        report.Sessions.ShouldBe(0);
        report.SharePrecededByValidCleaning.ShouldBeNull();
        report.DirtyToCleanMedianMinutes.ShouldBeNull();
        report.DirtyToCleanP90Minutes.ShouldBeNull();
        report.InvalidCleaningsByReason.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheReportIsAlsoACsvFile()
    {
        var infection = await history.App.ClientAs("infection");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/compliance?ward=burns&" + Period(T(9, 0), T(20, 0)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await infection.SendAsync(request);

        await response.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("compliance-burns-20261122T0900-20261122T2000.csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("metric,value");
        lines.ShouldContain("ward,burns");
        lines.ShouldContain("sessions,4");
        lines.ShouldContain("share_preceded_by_valid_cleaning,0.75");
        lines.ShouldContain("dirty_to_clean_median_minutes,12");
        lines.ShouldContain("dirty_to_clean_p90_minutes,84");
        lines.ShouldContain("overdue_count,2");
        lines.ShouldContain("invalid_cleanings.contact_time_not_met,3");
        lines.ShouldContain("invalid_cleanings.product_not_allowed_for_model,1");

        var byParameter = await infection.GetAsync("/api/v1/compliance?format=csv&ward=burns&" + Period(T(9, 0), T(20, 0)));
        (await byParameter.Content.ReadAsStringAsync()).ShouldBe(string.Join("\r\n", lines) + "\r\n");
    }

    [Fact]
    public async Task EveryLookAtTheReportIsAudited()
    {
        var biomed = await history.App.ClientAs("biomed");
        await biomed.GetAsync("/api/v1/compliance?format=csv&ward=paediatrics&" + Period(T(9, 0), T(10, 0)));

        var audit = await (await history.App.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?action=compliance.viewed&entityId=paediatrics");
        var entry = audit.Where(a => a.Actor == "user:biomed").ShouldHaveSingleItem(); // other tests here read as infection
        entry.EntityType.ShouldBe("ward");
        entry.Data!.ShouldContain("\"format\":\"csv\"");
        entry.Data!.ShouldContain("\"from\":\"2026-11-22T09:00:00Z\"");
    }

    [Theory]
    [InlineData("nurse", "ward=burns", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("infection", "ward=nowhere", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("infection", "format=pdf", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("infection", "from=2026-11-22T12:00:00Z&to=2026-11-22T09:00:00Z", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task ABadReportRequestSaysWhatIsWrong(string user, string query, HttpStatusCode status, string code)
    {
        var r = await (await history.App.ClientAs(user)).GetAsync("/api/v1/compliance?" + query);
        await r.ShouldBeProblem(status, code);
    }

    private async Task<ComplianceReport> Report(string query) =>
        await (await history.App.ClientAs("infection")).Get<ComplianceReport>("/api/v1/compliance?" + query);
}
