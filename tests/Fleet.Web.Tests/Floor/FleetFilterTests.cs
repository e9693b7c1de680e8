using System.Text.RegularExpressions;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 4: fleet health search, filters and sort in the address; the assign page keeps what was typed.</summary>
[Collection(SiteCollection.Name)]
public sealed class FleetFilterTests(FleetSite site)
{
    [Fact]
    public Task FleetHealthFiltersAndSortsEveryColumnAndKeepsThemInTheAddress() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(3);
        await site.CleanAsync(headsets[1]);
        await site.RaiseFlagAsync(headsets[2], "maintenance", "Strap frayed");
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync("/fleet");
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var rows = biomed.Locator("#fleet-table tbody tr");

        await biomed.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(ward);
        await Expect(rows).ToHaveCountAsync(3);
        await biomed.GetByLabel("Ready or blocked").SelectOptionAsync("blocked");
        await Expect(rows).ToHaveCountAsync(2);
        await biomed.GetByLabel("Hygiene", new() { Exact = true }).SelectOptionAsync("Dirty");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(biomed).ToHaveURLAsync(new Regex($"ward={ward}.*state=Dirty.*ready=blocked|ward={ward}&state=Dirty&ready=blocked"));

        // Sort on a column, then the other way.
        var byId = biomed.GetByRole(AriaRole.Button, new() { Name = "Headset", Exact = true });
        await byId.ClickAsync();
        await Expect(biomed.Locator("th[aria-sort='ascending']")).ToContainTextAsync("Headset");
        await byId.ClickAsync();
        await Expect(biomed.Locator("th[aria-sort='descending']")).ToContainTextAsync("Headset");
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-headset", headsets[2]);
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-headset", headsets[0]);
        await Expect(biomed).ToHaveURLAsync(new Regex("sort=id&desc=1"));
        foreach (var column in new[] { "Ward", "Hygiene", "Ready", "Online", "Battery", "Temp.", "Battery health", "Lifetime used", "Forecast end", "Open flags", "Open alerts" })
            await Expect(biomed.Locator("thead th").Filter(new() { HasText = column }).First.GetByRole(AriaRole.Button)).ToBeEnabledAsync();

        // The address alone brings the same view back (a bookmark on the ward's tablet).
        var url = biomed.Url;
        var again = await site.SignedInPageAsync("biomed");
        await again.GotoAsync(url);
        await Expect(again.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var againRows = again.Locator("#fleet-table tbody tr");
        await Expect(againRows).ToHaveCountAsync(2);
        await Expect(againRows.Nth(0)).ToHaveAttributeAsync("data-headset", headsets[2]);
        await Expect(againRows.Nth(1)).ToHaveAttributeAsync("data-headset", headsets[0]);
        await Expect(again.GetByLabel("Hygiene", new() { Exact = true })).ToHaveValueAsync("Dirty");

        await again.GetByLabel("Search").FillAsync(headsets[0]);
        await Expect(again.Locator("#fleet-table tbody tr")).ToHaveCountAsync(1);
        await again.GetByLabel("Battery below (%)").FillAsync("50");
        await again.GetByLabel("Battery below (%)").PressAsync("Tab");
        await Expect(again.Locator("#fleet-table tbody tr")).ToHaveCountAsync(0); // no battery reading yet: not below 50
        await Expect(again).ToHaveURLAsync(new Regex("batteryBelow=50"));
    });

    [Fact]
    public Task TheAssignPageKeepsWhatWasTypedWhenTheWardOrLengthChangesAndListsThatWardsOpenSessions() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var (otherWard, others) = await site.NewWardAsync(1);
        await site.CleanAsync(headsets[0]);
        await site.CleanAsync(others[0]);
        await site.AssignAsync(otherWard, others[0], "MRN-OTHER-WARD");
        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.Locator("#open-sessions")).ToContainTextAsync("No open sessions on this ward.");

        await scheduler.GetByLabel("Patient reference").FillAsync("MRN-KEEP-1");
        await scheduler.GetByLabel("contact").CheckAsync();
        await scheduler.GetByLabel("Session length (minutes)").FillAsync("45");
        await scheduler.GetByLabel("Session length (minutes)").PressAsync("Tab");
        await Expect(scheduler.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("for 45 min$") })).ToBeVisibleAsync();
        await scheduler.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(otherWard);
        await Expect(scheduler.Locator("#open-sessions [data-session]")).ToContainTextAsync("MRN-OTHER-WARD");

        await Expect(scheduler.GetByLabel("Patient reference")).ToHaveValueAsync("MRN-KEEP-1");
        await Expect(scheduler.GetByLabel("contact")).ToBeCheckedAsync();
        await Expect(scheduler).ToHaveURLAsync(new Regex($"ward={otherWard}&minutes=45"));
    });
}
