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
        await FleetSite.ScreenshotAsync(biomed, "fleet");
    });

    [Fact]
    public Task TraceAndComplianceSayWhenTheApiDoesNotOfferThemYet() => site.WithLogsAsync(async () =>
    {
        var infection = await site.SignedInPageAsync("infection");
        await Expect(infection).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/trace$"));
        await ExpectReadyOrNotAvailableAsync(infection, "Trace");
        await FleetSite.ScreenshotAsync(infection, "trace");
        await infection.GetByRole(AriaRole.Link, new() { Name = "Compliance" }).ClickAsync();
        await ExpectReadyOrNotAvailableAsync(infection, "Show report");
        await FleetSite.ScreenshotAsync(infection, "compliance");
    });

    [Fact]
    public Task ANurseSignsOutAndTheMenuFollowsTheRole() => site.WithLogsAsync(async () =>
    {
        var nurse = await site.SignedInPageAsync("nurse");
        var nav = nurse.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Expect(nav.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Cleaning station", "Assign"]);
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(nurse.GetByText("You have signed out.")).ToBeVisibleAsync();
        await nurse.GotoAsync("/cleaning");
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Fleet" })).ToBeVisibleAsync();
    });

    // Until the trace/compliance issue lands the page says so; afterwards its form works. Either is right, a crash is not.
    private static async Task ExpectReadyOrNotAvailableAsync(IPage page, string button)
    {
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = button })).ToBeVisibleAsync();
        var notAvailable = page.GetByText("is not available yet");
        if (await notAvailable.CountAsync() > 0) await Expect(notAvailable).ToBeVisibleAsync();
        await Expect(page.Locator(".problem")).ToHaveCountAsync(0);
    }
}
