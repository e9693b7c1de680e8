using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

[Collection(SiteCollection.Name)]
public sealed class CleaningStationTests(FleetSite site)
{
    [Fact]
    public Task ANurseLogsAValidCleaningAndASchedulerThenAssignsThatHeadset() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        var headset = headsets[0];

        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning?ward={ward}");
        var card = nurse.Locator($"[data-headset='{headset}']");
        await Expect(card).ToContainTextAsync("Dirty");
        await Expect(card).ToContainTextAsync("Due");
        await FleetSite.ScreenshotAsync(nurse, "cleaning-queue");

        await card.GetByRole(AriaRole.Link, new() { Name = $"Clean {headset}" }).ClickAsync();
        await nurse.GetByLabel("Test wipe (fast)").CheckAsync();
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" }).ClickAsync();
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Cleaning in progress" })).ToBeVisibleAsync();
        await FleetSite.ScreenshotAsync(nurse, "cleaning-countdown");
        // The countdown ticks in the page; the nurse finishes once it says the contact time is reached.
        await Expect(nurse.Locator(".countdown")).ToHaveTextAsync("Contact time reached: you can finish now.",
            new() { Timeout = (FleetSite.FastContactSeconds + 10) * 1000 });
        await nurse.GetByLabel("Facial interface or liner replaced").CheckAsync();
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Finish cleaning" }).ClickAsync();
        await Expect(nurse.GetByRole(AriaRole.Status).Filter(new() { HasText = "Cleaning recorded as valid" })).ToBeVisibleAsync();
        await Expect(nurse.Locator(".page-head .badge")).ToHaveTextAsync("✓ Clean");

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        var row = scheduler.Locator($"[data-headset='{headset}']");
        await Expect(row).ToContainTextAsync("Ready");
        await Expect(scheduler.Locator(".headset-row").First).ToHaveAttributeAsync("data-headset", headset);
        await scheduler.GetByLabel("Patient reference").FillAsync("MRN-2001");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Assign {headset}" }).ClickAsync();
        await Expect(scheduler.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headset} is assigned to MRN-2001" })).ToBeVisibleAsync();
        await Expect(scheduler.Locator($"#open-sessions [data-session]").Filter(new() { HasText = headset })).ToContainTextAsync("MRN-2001");
        await Expect(row).ToContainTextAsync("It is in a session with another patient.");

        await scheduler.Locator("#open-sessions [data-session]").Filter(new() { HasText = headset })
            .GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await Expect(scheduler.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headset} now needs cleaning" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Dirty");
    });

    [Fact]
    public Task FinishingBeforeTheContactTimeIsRefusedWithTheReasonAndTheCountdownGoesOn() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headsets[0]}");
        await nurse.GetByLabel("Quaternary ammonium wipe").CheckAsync();
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" }).ClickAsync();
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Finish cleaning" }).ClickAsync();

        var refusal = nurse.GetByRole(AriaRole.Alert);
        await Expect(refusal).ToContainTextAsync("must stay wet for 120 s");
        await Expect(nurse.Locator(".countdown")).ToContainTextAsync("left");
        await Expect(nurse.Locator(".page-head .badge")).ToHaveTextAsync("◔ Cleaning");
        await FleetSite.ScreenshotAsync(nurse, "cleaning-refused");
        await nurse.GotoAsync($"/cleaning?ward={ward}");
        await Expect(nurse.Locator($"[data-headset='{headsets[0]}']")).ToContainTextAsync("Cleaning in progress");
    });
}
