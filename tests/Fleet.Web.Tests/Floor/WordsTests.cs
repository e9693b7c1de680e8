using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 7 and 8: names instead of codes, times on the ward's clock with its zone, the headset's history and chart.</summary>
[Collection(SiteCollection.Name)]
public sealed class WordsTests(FleetSite site)
{
    [Fact]
    public Task TheHeadsetPageNamesPeopleAndRulesAndShowsTimesOnTheWardsClockWithItsZone() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        using (var admin = await site.ApiAsAsync("admin"))
            (await admin.PutAsJsonAsync($"/api/v1/wards/{ward}", new WardRequest(ward, "Zoned ward", "Asia/Tokyo"), Fleet.Contracts.FleetJson.Options)).EnsureSuccessStatusCode();
        await site.RaiseFlagAsync(headset, FlagKindNames.Damage, "Strap torn.");
        await site.PostAsync<ComfortReportView>("nurse", $"/api/v1/headsets/{headset}/comfort-reports", new ComfortReportRequest(null, 12, null));

        var biomed = await site.TabletPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Zoned ward (times in Asia/Tokyo)");
        var flags = biomed.Locator("li.flag");
        await Expect(flags.Filter(new() { HasText = "Strap torn." })).ToContainTextAsync("raised by Alex Kim, nurse");
        await Expect(flags.Filter(new() { HasText = "motion sickness" })).ToContainTextAsync("(rule: one report FMS 10 or more)");
        // Tokyo has no daylight saving: its clock is UTC+9 all year, so the expected text is fixed by the instant.
        var raised = (await site.GetAsync<List<FlagView>>("biomed", $"/api/v1/headsets/{headset}/flags")).Single(f => f.Note == "Strap torn.").RaisedAt;
        var tokyo = raised.ToOffset(TimeSpan.FromHours(9));
        var expected = tokyo.Date == DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).Date
            ? $"{tokyo:HH:mm} Asia/Tokyo" : $"{tokyo:d MMM yyyy HH:mm} Asia/Tokyo";
        await Expect(flags.Filter(new() { HasText = "Strap torn." })).ToContainTextAsync(expected);
        await Expect(biomed.GetByRole(AriaRole.Table, new() { Name = $"Audit history of {headset}" }))
            .ToContainTextAsync("Alex Kim, nurse");
    });

    [Fact]
    public Task TheAuditHistoryFiltersByWhoAndWhatAndPagesThroughOlderEntries() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        for (var i = 0; i < 12; i++) await site.PostAsync<HeadsetSummary>("nurse", $"/api/v1/headsets/{headset}/dirty", new MarkDirtyRequest($"Soiled {i}."));
        await site.PostAsync<IdResponse>("biomed", $"/api/v1/headsets/{headset}/inspections", new RetireRequest("Checked the lenses."));
        // The jobs reconcile a changed headset shortly after (and may add entries of their own): count once it is quiet.
        Task<List<AuditEntryView>> AuditAsync() => site.GetAsync<List<AuditEntryView>>("biomed", $"/api/v1/audit?entityId={headset}");
        var all = await AuditAsync();
        for (var settled = 0; settled < 10; settled++)
        {
            await Task.Delay(1000);
            var again = await AuditAsync();
            if (again.Count == all.Count) break;
            all = again;
        }

        var biomed = await site.TabletPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        var table = biomed.GetByRole(AriaRole.Table, new() { Name = $"Audit history of {headset}" });
        await Expect(biomed.Locator("#audit-page")).ToHaveTextAsync($"Page 1 of {(all.Count + 19) / 20} ({all.Count} entries)");
        await Expect(biomed.GetByLabel("Who")).ToBeEnabledAsync();

        await biomed.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = "Jordan Lee, biomedical engineer" });
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(all.Count(a => a.Actor == "user:biomed"));
        await Expect(table).ToContainTextAsync("Checked the lenses.");
        await biomed.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = "Alex Kim, nurse" });
        await biomed.GetByLabel("What").SelectOptionAsync(new SelectOptionValue { Label = "headset marked dirty" });
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(12);
        await Expect(biomed.Locator("#audit-page")).ToHaveTextAsync("Page 1 of 1 (12 entries)");
    });

    [Fact]
    public Task TheBatteryChartHasAFixedZeroToHundredScaleWithLabelsReadableAtBothWidths() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headsets[0]}");
        // Measure the live page's chart: the prerendered one is replaced when the circuit takes over, and a style read
        // from a replaced element is empty (NaN font sizes failed CI once).
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var chart = biomed.Locator("[data-chart='battery']");
        await Expect(chart.Locator(".y-axis .tick")).ToHaveTextAsync(new[] { "100%", "75%", "50%", "25%", "0%" });
        foreach (var width in new[] { 768, 1440 })
        {
            await biomed.SetViewportSizeAsync(width, 1000);
            var sizes = await chart.Locator(".tick").EvaluateAllAsync<double[]>("ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize))");
            sizes.ShouldAllBe(s => s >= 12, $"labels at {width} px");
            // No two x labels overlap, and none leaves the chart.
            var edges = await chart.Locator(".x-axis .tick").EvaluateAllAsync<double[]>("ts => ts.flatMap(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })");
            var figure = await chart.BoundingBoxAsync();
            var said = string.Join(" ", await chart.Locator(".x-axis .tick").AllTextContentsAsync());
            var where = $"at {width} px: {said} at {string.Join(" ", edges.Select(e => e.ToString("0")))} in {figure!.X:0}-{figure.X + figure.Width:0}";
            Assert.Equal(10, edges.Length);
            for (var i = 2; i < edges.Length; i += 2) Assert.True(edges[i] >= edges[i - 1], $"x labels overlap {where}");
            Assert.True(edges[0] >= figure.X - 1 && edges[^1] <= figure.X + figure.Width + 1, $"x labels leave the chart {where}");
        }
    });
}
