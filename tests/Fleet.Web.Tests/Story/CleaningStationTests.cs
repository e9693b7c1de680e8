using System.Text.RegularExpressions;
using Fleet.Web.Tests.Infrastructure;
using Fleet.Contracts.Api;
using Microsoft.Playwright;
using Shouldly;
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
        await scheduler.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await Expect(scheduler.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headset} now needs cleaning" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Dirty");
    });

    [Fact]
    public Task TheQueuePutsTheHeadsetThatHasWaitedLongestFirstWithItsDueTime() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        var (soiledAgain, waiting) = (headsets[0], headsets[1]);
        // The first headset (first by id too) is cleaned and soiled again, so it has waited less than the second.
        await site.CleanAsync(soiledAgain);
        await site.MarkDirtyAsync(soiledAgain, "Dropped on the floor");
        var queue = await site.GetAsync<List<CleaningQueueItem>>("nurse", $"/api/v1/cleaning-queue?ward={ward}");

        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning?ward={ward}");
        var items = nurse.Locator("#cleaning-queue .queue-item");
        await Expect(items).ToHaveCountAsync(2);
        (await items.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.headset)")).ShouldBe([waiting, soiledAgain]);
        queue.Select(q => q.HeadsetId).ShouldBe([waiting, soiledAgain]); // the page shows the API's order, not its own
        // Due 30 minutes after it became Dirty: the time of day (or date and time after midnight) and how long is left.
        foreach (var headset in headsets)
            await Expect(nurse.Locator($"#cleaning-queue [data-headset='{headset}'] .due"))
                .ToHaveTextAsync(new Regex(@"^Due (\d{1,2} [A-Z][a-z]{2} \d{4} )?\d{2}:\d{2} UTC \(in (29|30) min\)$"));
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

    [Fact]
    public Task ANurseMarksACleanHeadsetDirtyWithAReason() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        await site.CleanAsync(headset);

        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning?ward={ward}");
        await Expect(nurse.Locator("#cleaning-queue")).ToContainTextAsync("Nothing to clean");
        await nurse.GetByRole(AriaRole.Link, new() { Name = $"{headset} (VR-" }).ClickAsync();
        await Expect(nurse.Locator(".page-head .badge")).ToHaveTextAsync("✓ Clean");
        await nurse.GetByLabel("Reason").FillAsync("Patient coughed on the strap");
        await nurse.GetByRole(AriaRole.Button, new() { Name = $"Mark {headset} dirty" }).ClickAsync();

        await Expect(nurse.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headset} is marked dirty." })).ToBeVisibleAsync();
        await Expect(nurse.Locator(".page-head .badge")).ToHaveTextAsync("✗ Dirty");
        await nurse.GetByRole(AriaRole.Link, new() { Name = "Back to the cleaning queue" }).ClickAsync();
        await Expect(nurse.Locator($"#cleaning-queue [data-headset='{headset}']")).ToContainTextAsync("Dirty");
        (await site.AuditAsync(headset, "headset.marked_dirty")).ShouldHaveSingleItem().Reason.ShouldBe("Patient coughed on the strap");
    });

    [Fact]
    public Task ReportedDamageAndAnFmsOf12HoldTheirHeadsetsAndTheAssignPageSaysWhy() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        var (damaged, dizzy) = (headsets[0], headsets[1]);
        var nurse = await site.SignedInPageAsync("nurse");

        await nurse.GotoAsync($"/cleaning/{damaged}");
        await nurse.GetByLabel("What is damaged?").FillAsync("Left lens scratched across the centre");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Report damage" }).ClickAsync();
        await Expect(FleetSite.Confirmation(nurse)).ToHaveTextAsync($"✓ Damage reported. {damaged} is held until a biomedical engineer clears it.");

        await nurse.GotoAsync($"/cleaning/{dizzy}");
        await nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)").FillAsync("12");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Report discomfort" }).ClickAsync();
        await Expect(FleetSite.Confirmation(nurse)).ToHaveTextAsync($"✓ Discomfort report saved. {dizzy} is held for a motion-sickness check.");

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.Locator($"[data-headset='{damaged}'] [data-code='damage_flag']"))
            .ToHaveTextAsync("It has been reported damaged and must be inspected.");
        await Expect(scheduler.Locator($"[data-headset='{dizzy}'] [data-code='motion_sickness_flag']"))
            .ToHaveTextAsync("A motion-sickness report is open; a biomedical engineer must inspect it before the next patient.");
        var flag = (await site.GetAsync<List<FlagView>>("biomed", $"/api/v1/headsets/{dizzy}/flags")).ShouldHaveSingleItem();
        flag.RaisedByRule.ShouldNotBeNull("the hold on an FMS of 12 is raised by the rule, not by hand");
    });

    [Fact]
    public Task AnFmsOutsideZeroToTwentyIsRefusedNamingTheField() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        var fms = nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)");
        var report = nurse.GetByRole(AriaRole.Button, new() { Name = "Report discomfort" });

        // The browser itself holds back 21: the field says why and the form is never submitted.
        await nurse.EvaluateAsync("() => { window.submits = 0; document.addEventListener('submit', () => window.submits++, true); }");
        await fms.FillAsync("21");
        await report.ClickAsync();
        (await fms.EvaluateAsync<bool>("e => e.validity.rangeOverflow")).ShouldBeTrue();
        (await fms.EvaluateAsync<string>("e => e.validationMessage")).ShouldNotBeNullOrEmpty();
        await Expect(nurse.Locator("#fms:invalid")).ToHaveCountAsync(1);
        (await nurse.EvaluateAsync<int>("() => window.submits")).ShouldBe(0, "the browser's range check must stop the submit of 21");
        await Expect(FleetSite.Confirmation(nurse)).ToHaveCountAsync(0);

        // Past the browser (one that does not check, say), the refusal comes from the API: next to the field, in words.
        await nurse.Locator("form:has(#fms)").EvaluateAsync("f => f.noValidate = true");
        await fms.FillAsync("-1");
        await nurse.GetByLabel("Note", new() { Exact = true }).FillAsync("Felt a little queasy");
        await report.ClickAsync();
        await Expect(nurse.Locator("#fms-error")).ToHaveTextAsync("⚠ The motion-sickness score must be between 0 and 20.");
        await Expect(fms).ToHaveAttributeAsync("aria-describedby", "fms-error");
        await Expect(fms).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(nurse.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("fms:");
        await Expect(fms).ToHaveValueAsync("-1");
        await Expect(nurse.Locator("#comfort-note")).ToHaveValueAsync("Felt a little queasy");
        (await site.GetAsync<List<ComfortReportView>>("nurse", $"/api/v1/headsets/{headset}/comfort-reports")).ShouldBeEmpty();
    });
}
