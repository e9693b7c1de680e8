using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

[Collection(SiteCollection.Name)]
public sealed class OtherPagesTests(FleetSite site)
{
    [Fact]
    public Task FleetHealthListsEveryHeadsetWithItsStateInWords() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        await site.RaiseFlagAsync(headsets[0], "recall", "Manufacturer recall 2026-11");
        var biomed = await site.SignedInPageAsync("biomed");
        await Expect(biomed).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/fleet$"));
        var row = biomed.Locator($"#fleet-table tr[data-headset='{headsets[0]}']");
        await Expect(row).ToContainTextAsync("Dirty");
        await Expect(row).ToContainTextAsync("recall");
        await Expect(row).ToContainTextAsync("Offline");
    });

    [Fact]
    public Task TraceAndComplianceOpenWithoutAProblemAndComplianceShowsAllWardsAtOnce() => site.WithLogsAsync(async () =>
    {
        var infection = await site.SignedInPageAsync("infection");
        await Expect(infection).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/trace$"));
        await Expect(infection.GetByRole(AriaRole.Button, new() { Name = "Trace" })).ToBeVisibleAsync();
        // Asked nothing yet, the trace page must not greet the person with the API's "say who to trace".
        await Expect(infection.Locator(".problem")).ToHaveCountAsync(0);
        await FleetSite.ScreenshotAsync(infection, "trace");

        await infection.GetByRole(AriaRole.Link, new() { Name = "Compliance" }).ClickAsync();
        await Expect(infection.GetByRole(AriaRole.Heading, new() { Name = "All wards" })).ToBeVisibleAsync();
        await Expect(infection.Locator(".problem")).ToHaveCountAsync(0);
        await FleetSite.ScreenshotAsync(infection, "compliance");
    });

    [Fact]
    public Task ANurseSignsOutAndTheMenuFollowsTheRole() => site.WithLogsAsync(async () =>
    {
        var nurse = await site.SignedInPageAsync("nurse");
        var nav = nurse.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Expect(nav.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Cleaning station", "Assign", "Tasks"]);
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(nurse.GetByText("You have signed out.")).ToBeVisibleAsync();
        await nurse.GotoAsync("/cleaning");
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Fleet" })).ToBeVisibleAsync();
    });
}
