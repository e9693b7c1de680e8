using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Clinical;

/// <summary>Acceptance 5: exposure trace and compliance report on the tablet, their CSV files and their print layout.</summary>
[Collection(SiteCollection.Name)]
public sealed class TraceAndComplianceTests(FleetSite site)
{
    [Fact]
    public Task APatientWithNoSessionsInThePeriodIsSaidSoAndNeverZeroExposed() => site.WithLogsAsync(async () =>
    {
        var infection = await site.TabletPageAsync("infection");
        await infection.GotoAsync("/trace");
        await infection.GetByLabel("Patient reference").FillAsync("MRN-NEVER-SEEN");
        await infection.GetByRole(AriaRole.Button, new() { Name = "Trace" }).ClickAsync();

        await Expect(infection.Locator("#no-sessions")).ToContainTextAsync("Patient MRN-NEVER-SEEN had no sessions between");
        await Expect(infection.Locator("#no-sessions")).ToContainTextAsync("There is nothing to trace in this period.");
        await Expect(infection.Locator("#trace-result")).Not.ToContainTextAsync("exposed");
        await Expect(infection.Locator("#trace-csv")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task ATraceLinksItsHeadsetsExportsASafeCsvPrintsWithoutTheMenuAndFitsATablet() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var id = headsets[0];
        // A reference that starts like a spreadsheet formula, as identifiers allow.
        var first = $"-{Guid.NewGuid().ToString("N")[..6]}";
        var second = $"MRN-{Guid.NewGuid().ToString("N")[..6]}";
        await UseAsync(id, first, ward);
        await UseAsync(id, second, ward);

        var infection = await site.TabletPageAsync("infection");
        await infection.GotoAsync("/trace");
        await infection.GetByLabel("Patient reference").FillAsync(first);
        await infection.GetByRole(AriaRole.Button, new() { Name = "Trace" }).ClickAsync();
        await Expect(infection.Locator("#exposed-summary")).ToContainTextAsync("No patient was exposed");
        var row = infection.GetByRole(AriaRole.Table, new() { Name = "Hand-overs" }).Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Yes, protected");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = id })).ToHaveAttributeAsync("href", $"/headsets/{id}");
        await Expect(infection.Locator("#trace-result").GetByRole(AriaRole.Link, new() { Name = id }).First).ToBeVisibleAsync();

        var widths = await infection.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1]);

        var csv = await DownloadAsync(infection, infection.Locator("#trace-csv"));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("depth,headset,from_patient,from_session_ended,to_patient,to_session_started,valid_cleaning_between,explanation");
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith($"1,{id},'{first},"); // never a formula
        lines[1].ShouldContain($",{second},");

        await infection.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(infection.GetByRole(AriaRole.Navigation, new() { Name = "Pages" })).ToBeHiddenAsync();
        await Expect(infection.GetByRole(AriaRole.Button, new() { Name = "Trace" })).ToBeHiddenAsync();
        await Expect(infection.Locator("#trace-result .print-only")).ToContainTextAsync("Generated");
        await Expect(row).ToBeVisibleAsync();
    });

    [Fact]
    public Task EveryComplianceCountOpensTheRecordsBehindItAndTheReportPrintsAndExports() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        await UseAsync(headsets[0], $"MRN-{Guid.NewGuid().ToString("N")[..6]}", ward);

        var infection = await site.TabletPageAsync("infection");
        await infection.GotoAsync("/compliance");
        await infection.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(ward);
        await infection.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();
        await Expect(infection).ToHaveURLAsync(new Regex($"ward={ward}"));
        var sessions = infection.Locator("a.count[data-metric='sessions']");
        await Expect(sessions).ToHaveTextAsync("1");

        await sessions.ClickAsync();
        var records = infection.GetByRole(AriaRole.Table, new() { Name = "Records behind the count" }).Locator("tbody tr");
        await Expect(infection.GetByRole(AriaRole.Heading, new() { Name = "Sessions: 1 record(s)" })).ToBeVisibleAsync();
        await Expect(records).ToHaveCountAsync(1);
        await Expect(records).ToContainTextAsync(headsets[0]);
        await Expect(records).ToContainTextAsync("scheduler");
        await Expect(records).ToContainTextAsync("Started on a headset cleaned validly");

        // Every count on the report is a link to its records, and each says as many as it counts.
        foreach (var link in await infection.Locator("a.count").AllAsync())
        {
            var metric = await link.GetAttributeAsync("data-metric");
            var count = int.Parse(await link.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            await link.ClickAsync();
            await Expect(infection.GetByRole(AriaRole.Heading, new() { Name = $": {count} record(s)" })).ToBeVisibleAsync();
            await Expect(infection).ToHaveURLAsync(new Regex($"show={Uri.EscapeDataString(metric!)}"));
        }

        var csv = await DownloadAsync(infection, infection.Locator("#report-csv"));
        csv.ShouldContain("metric,value\r\n");
        csv.ShouldContain($"ward,Test ward");
        csv.ShouldContain("sessions,1\r\n");

        await infection.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(infection.GetByRole(AriaRole.Navigation, new() { Name = "Pages" })).ToBeHiddenAsync();
        await Expect(infection.GetByRole(AriaRole.Button, new() { Name = "Show report" })).ToBeHiddenAsync();
        await Expect(infection.Locator("#report-title")).ToContainTextAsync("Test ward");
        await Expect(infection.Locator("#generated")).ToContainTextAsync("Generated");
        var widths = await infection.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1]);
    });

    [Fact]
    public Task AWardsReportAndTraceAreReadOnTheWardsClockWithTheZoneNamedOnScreenInPrintAndInTheirCsv() => site.WithLogsAsync(async () =>
    {
        const string tokyo = "Asia/Tokyo"; // +09:00 all year, never the test machine's UTC
        var (ward, headsets) = await site.NewWardAsync(1);
        await site.SetTimeZoneAsync(ward, tokyo);
        await UseAsync(headsets[0], $"MRN-{Guid.NewGuid().ToString("N")[..6]}", ward);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(tokyo));
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var shown = today.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var generated = new Regex($@"^Generated \d\d:\d\d {tokyo} by infection");

        var infection = await site.SignedInPageAsync("infection");
        await infection.GotoAsync($"/compliance?ward={ward}&from={day}&to={day}");
        await Expect(infection.Locator("#report-title")).ToHaveTextAsync($"Ward on {tokyo}, {shown} to {shown} ({tokyo})");
        await Expect(infection.Locator("#generated")).ToHaveTextAsync(generated);
        await Expect(infection.Locator("a.count[data-metric='sessions']")).ToHaveTextAsync("1");
        var csv = await DownloadAsync(infection, infection.Locator("#report-csv"));
        csv.ShouldContain($"time_zone,{tokyo}\r\n");
        csv.ShouldContain($"from,{day}T00:00:00+09:00\r\n");
        await infection.Locator("a.count[data-metric='sessions']").ClickAsync();
        var records = await DownloadAsync(infection, infection.Locator("#records-csv"));
        records.TrimStart('\uFEFF').Split("\r\n")[1].ShouldMatch(@$"^{headsets[0]},Session started,{day}T\d\d:\d\d:\d\d\+09:00,");
        await infection.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(infection.Locator("#report-title")).ToContainTextAsync($"({tokyo})");
        await Expect(infection.Locator("#generated")).ToBeVisibleAsync();

        var trace = await site.SignedInPageAsync("infection");
        await trace.GotoAsync("/trace");
        await trace.GetByLabel("or headset").FillAsync(headsets[0]);
        await trace.GetByLabel("From (date)").FillAsync(day);
        await trace.GetByLabel("To (date)").FillAsync(day);
        await trace.GetByRole(AriaRole.Button, new() { Name = "Trace" }).ClickAsync();
        await Expect(trace.Locator("#result-title")).ToHaveTextAsync($"Trace of headset {headsets[0]}, {shown} to {shown} ({tokyo})");
        await trace.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(trace.Locator("#generated")).ToHaveTextAsync(generated);
    });

    /// <summary>A cleaned headset, a session on it by the scheduler, ended.</summary>
    private async Task UseAsync(string headsetId, string patientRef, string ward)
    {
        await site.CleanAsync(headsetId);
        var session = await site.PostAsync<SessionView>("scheduler", "/api/v1/sessions", new AssignRequest(headsetId, patientRef, ward, 30, null));
        await site.PostAsync<SessionView>("scheduler", $"/api/v1/sessions/{session.Id}/end", new { });
    }

    private static async Task<string> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = await download.PathAsync();
        return await File.ReadAllTextAsync(path!, Encoding.UTF8);
    }
}
