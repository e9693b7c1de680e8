using Fleet.Web.Tests.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

[Collection(SiteCollection.Name)]
public sealed class AssignPageTests(FleetSite site)
{
    [Fact]
    public Task AFlaggedHeadsetShowsItsReasonInPlainWordsOnTheAssignPage() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        await site.CleanAsync(headsets[0]);
        await site.CleanAsync(headsets[1]);
        await site.RaiseFlagAsync(headsets[1], "damage", "Strap buckle cracked");

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        var flagged = scheduler.Locator($"[data-headset='{headsets[1]}']");
        await Expect(flagged).ToContainTextAsync("Blocked");
        await Expect(flagged.Locator("[data-code='damage_flag']")).ToBeVisibleAsync();
        await Expect(flagged.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        // Ready first, blocked after.
        await Expect(scheduler.Locator(".headset-row").First).ToHaveAttributeAsync("data-headset", headsets[0]);
        await FleetSite.ScreenshotAsync(scheduler, "assign");
    });

    [Fact]
    public Task ClearingAFlagElsewhereUpdatesAnOpenAssignPageWithoutAReload() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        await site.CleanAsync(headset);
        await site.RaiseFlagAsync(headset, "maintenance", "Lens smear under the cover");

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        var row = scheduler.Locator($"[data-headset='{headset}']");
        await Expect(row.Locator("[data-code='maintenance']")).ToBeVisibleAsync();
        await Expect(scheduler.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var loads = 0;
        scheduler.Load += (_, _) => loads++;

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        await Expect(biomed.Locator(".flag")).ToContainTextAsync("Lens smear under the cover");
        await FleetSite.ScreenshotAsync(biomed, "headset");
        await biomed.GetByLabel("Inspection note for clearing this maintenance flag").FillAsync("Cleaned the lens; inspected, fine.");
        await biomed.GetByRole(AriaRole.Button, new() { Name = "Clear maintenance flag" }).ClickAsync();
        await Expect(biomed.GetByRole(AriaRole.Status).Filter(new() { HasText = "flag is cleared" })).ToBeVisibleAsync();

        await Expect(row).ToContainTextAsync("Ready");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Assign {headset}" })).ToBeVisibleAsync();
        Shouldly.ShouldBeTestExtensions.ShouldBe(loads, 0, "the assign page must update in place, not reload");
    });

    [Fact]
    public Task PickForMeAssignsTheLeastWornReadyHeadsetAndEndSessionSendsItToCleaning() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(3);
        var (twiceCleaned, onceCleaned, dirty) = (headsets[0], headsets[1], headsets[2]);
        await Task.WhenAll(site.CleanAsync(twiceCleaned), site.CleanAsync(onceCleaned));
        // Both ready, but one has worn more: the picker levels wear, so it must choose the other despite its later id.
        await site.MarkDirtyAsync(twiceCleaned, "Dropped on the floor");
        await site.CleanAsync(twiceCleaned);

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.Locator($"[data-headset='{dirty}']")).ToContainTextAsync("Blocked");
        await scheduler.GetByLabel("Patient reference").FillAsync("MRN-PICK-1");
        await scheduler.GetByRole(AriaRole.Button, new() { Name = "Pick for me" }).ClickAsync();

        await Expect(scheduler.GetByRole(AriaRole.Status).Filter(new() { HasText = "is assigned to MRN-PICK-1" }))
            .ToHaveTextAsync(new Regex($"{onceCleaned} is assigned to MRN-PICK-1 for 30 min"));
        var session = scheduler.Locator("#open-sessions [data-session]").Filter(new() { HasText = "MRN-PICK-1" });
        await Expect(session).ToContainTextAsync(onceCleaned);
        var picked = scheduler.Locator($"#assign-headsets [data-headset='{onceCleaned}']");
        await Expect(picked).ToContainTextAsync("It is in a session with another patient.");
        await Expect(scheduler.Locator($"#assign-headsets [data-headset='{twiceCleaned}']")).ToContainTextAsync("Ready");

        await session.GetByRole(AriaRole.Button, new() { Name = "End session of MRN-PICK-1" }).ClickAsync();
        var confirm = scheduler.GetByRole(AriaRole.Alertdialog, new() { Name = "End the session of MRN-PICK-1?" });
        await Expect(confirm).ToContainTextAsync($"Patient MRN-PICK-1 on headset {onceCleaned}");
        await Expect(confirm).ToContainTextAsync("must be cleaned before the next patient");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await Expect(scheduler.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{onceCleaned} now needs cleaning" })).ToBeVisibleAsync();
        await Expect(session).ToHaveCountAsync(0);
        await Expect(picked.Locator("[data-code='not_clean']")).ToHaveTextAsync("It is dirty and must be cleaned before the next patient.");
    });
}
