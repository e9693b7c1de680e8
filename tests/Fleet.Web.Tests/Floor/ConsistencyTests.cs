using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 1: one state per headset on a page, and single-headset pages that follow changes made elsewhere.</summary>
[Collection(SiteCollection.Name)]
public sealed class ConsistencyTests(FleetSite site)
{
    [Fact]
    public Task TheCleanPageFollowsACleaningStartedElsewhereAndSaysTheChosenProductWasNotSent() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await nurse.GetByLabel("Quaternary ammonium wipe").CheckAsync(); // chosen, not yet started

        // Someone else starts a cleaning of the same headset at the other station.
        await site.PostAsync<CleaningStarted>("biomed", $"/api/v1/headsets/{headset}/cleanings", new StartCleaningRequest(FleetSite.FastProduct));

        var changed = nurse.Locator("#changed-elsewhere");
        await Expect(changed).ToContainTextAsync($"Jordan Lee, biomedical engineer started a cleaning of {headset} with Test wipe (fast)");
        await Expect(changed).ToContainTextAsync("The product you had chosen was not sent");
        await Expect(nurse.Locator("[data-step]")).ToHaveAttributeAsync("data-step", "countdown");
        await Expect(nurse.Locator(".page-head .badge")).ToHaveTextAsync("◔ Cleaning");

        // A hold raised elsewhere reaches the open page too, in words.
        await site.RaiseFlagAsync(headset, "damage", "Cracked lens found at handover");
        await Expect(changed).ToContainTextAsync("A damage hold was raised by Alex Kim, nurse: Cracked lens found at handover.");
    });

    [Fact]
    public Task TheHeadsetPageFollowsASessionStartedElsewhere() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        await site.CleanAsync(headset);
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Ready");

        await site.AssignAsync(ward, headset, "MRN-ELSEWHERE-1");

        await Expect(biomed.Locator("#changed-elsewhere")).ToContainTextAsync("a session started.");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("In use");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Blocked");
        await Expect(biomed.Locator("[data-code='in_use']")).ToBeVisibleAsync();
    });

    [Fact]
    public Task FleetHealthTilesAndTableShowTheSameStateAfterAChangeElsewhere() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync("/fleet");
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(biomed.Locator($"#fleet-table tr[data-headset='{headset}']")).ToContainTextAsync("Dirty");

        await site.CleanAsync(headset);

        // Wait for the finished state itself: "Clean" is also a substring of the "Cleaning" the row shows first.
        await Expect(biomed.Locator($"#fleet-table tr[data-headset='{headset}'] .badge.state-clean")).ToBeVisibleAsync();
        // Every tile agrees with the rows on the same screen. Tiles and rows are read in one script, from one state of
        // the DOM (Blazor applies a render batch in one task), so another test's headset changing between two reads
        // cannot make them disagree falsely, and no retry is needed to hide a real disagreement.
        var snapshot = await TilesAndRowsAsync(biomed);
        snapshot.Tiles.ShouldBe(snapshot.Rows, "tiles by hygiene state vs rows in service");
        snapshot.Total.ShouldBe(snapshot.TotalRows, "headsets in the summary vs rows in the table");
    });

    private static async Task<Snapshot> TilesAndRowsAsync(IPage page)
    {
        var read = await page.EvaluateAsync<string>("""
            () => {
              const states = ['Dirty', 'Clean', 'Cleaning'];
              const tiles = {}, rows = {};
              const inService = [...document.querySelectorAll('#fleet-table tbody tr:not(.retired)')];
              for (const s of states) {
                tiles[s] = Number(document.querySelector(`[aria-label='In service, by hygiene state'] [data-state='${s}'] strong`)?.textContent ?? -1);
                rows[s] = inService.filter(r => r.querySelector(`.badge.state-${s.toLowerCase()}`)).length;
              }
              const summary = document.querySelector("[aria-label='Fleet summary']")?.textContent ?? '';
              const total = Number((summary.match(/(\d+) headsets/) ?? [0, -1])[1]);
              return JSON.stringify({ tiles, rows, total, totalRows: document.querySelectorAll('#fleet-table tbody tr').length });
            }
            """);
        return System.Text.Json.JsonSerializer.Deserialize<Snapshot>(read, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
    }

    private sealed record Snapshot(Dictionary<string, int> Tiles, Dictionary<string, int> Rows, int Total, int TotalRows);
}
