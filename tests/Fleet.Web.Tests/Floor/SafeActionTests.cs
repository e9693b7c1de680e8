using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 2: actions act on what the person saw, ask before what cannot be undone, and cannot be sent twice.</summary>
[Collection(SiteCollection.Name)]
public sealed class SafeActionTests(FleetSite site)
{
    [Fact]
    public Task AnAssignButtonActsOnTheRowItWasDrawnForEvenAfterTheListRedrew() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        var (first, second) = (headsets[0], headsets[1]);
        await site.CleanAsync(second);
        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await scheduler.GetByLabel("Patient reference").FillAsync("MRN-SAFE-1");
        // The button as the person sees it now: the first ready row.
        var seen = await scheduler.Locator(".headset-row.is-ready button").First.ElementHandleAsync();
        (await seen.InnerTextAsync()).ShouldBe($"Assign {second}");

        // The list re-draws: the other headset becomes ready and sorts above it.
        await site.CleanAsync(first);
        await Expect(scheduler.Locator(".headset-row.is-ready").First).ToHaveAttributeAsync("data-headset", first);

        await seen.ClickAsync();
        await Expect(FleetSite.Confirmation(scheduler)).ToContainTextAsync($"{second} is assigned to MRN-SAFE-1");
        var open = await site.GetAsync<List<SessionView>>("scheduler", "/api/v1/sessions?open=true");
        open.ShouldContain(s => s.HeadsetId == second && s.PatientRef == "MRN-SAFE-1");
        open.ShouldNotContain(s => s.HeadsetId == first);
        // Cleared after the success, so a second tap cannot assign another headset to the same patient.
        await Expect(scheduler.GetByLabel("Patient reference")).ToHaveValueAsync("");
        await scheduler.Locator($"[data-headset='{first}'] button").ClickAsync();
        await Expect(scheduler.Locator("#patientRef-error")).ToContainTextAsync("The patient reference is required.");
        (await site.GetAsync<List<SessionView>>("scheduler", "/api/v1/sessions?open=true")).ShouldNotContain(s => s.HeadsetId == first);
    });

    [Fact]
    public Task StartingOverACleaningInProgressAsksAndTheRecordSaysWhoReplacedItAndWhy() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var first = await site.PostAsync<CleaningStarted>("biomed", $"/api/v1/headsets/{headset}/cleanings", new StartCleaningRequest("quat-wipe"));
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Start a cleaning" })).ToHaveCountAsync(0);

        await nurse.GetByRole(AriaRole.Button, new() { Name = "Start again with another product…" }).ClickAsync();
        var confirm = nurse.GetByRole(AriaRole.Alertdialog, new() { Name = "Replace the cleaning in progress?" });
        await Expect(confirm).ToContainTextAsync($"Jordan Lee, biomedical engineer started cleaning {headset} with Quaternary ammonium wipe");
        await Expect(confirm).ToContainTextAsync("records that cleaning as abandoned, with your name and reason");
        await confirm.GetByLabel("New product").SelectOptionAsync(new SelectOptionValue { Label = "Test wipe (fast) (3 s)" });
        await confirm.GetByLabel("Why is it replaced?").FillAsync("Wipe dried out before the contact time");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Replace it" }).ClickAsync();

        await Expect(FleetSite.Confirmation(nurse)).ToContainTextAsync("The earlier cleaning is recorded as abandoned");
        var abandoned = (await site.AuditAsync(headset, "cleaning.abandoned")).ShouldHaveSingleItem();
        abandoned.Actor.ShouldBe("user:nurse");
        abandoned.Reason.ShouldBe("Superseded by a new cleaning: Wipe dried out before the contact time");
        abandoned.Data!.ShouldContain(first.Id.ToString());
    });

    [Fact]
    public Task AProductTheModelDoesNotAllowIsShownDisabledWithTheReasonBeforeStart() => site.WithLogsAsync(async () =>
    {
        var model = $"quat-only-{Guid.NewGuid():N}"[..18];
        await site.PostAsync<ModelView>("admin", "/api/v1/models",
            new ModelRequest(model, "Test", "Quat-only model", 120, 500, 3, 300, 1000, [Methods.QuaternaryAmmonium]));
        var (_, headsets) = await site.NewWardAsync(1, model);
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headsets[0]}");

        await Expect(nurse.GetByLabel("70 % alcohol wipe", new() { Exact = false })).ToBeDisabledAsync();
        await Expect(nurse.Locator(".tile").Filter(new() { HasText = "70 % alcohol wipe" }))
            .ToContainTextAsync("Not for this headset: the Quat-only model does not allow alcohol 70.");
        await Expect(nurse.GetByLabel("Quaternary ammonium wipe", new() { Exact = false })).ToBeEnabledAsync();
    });
}
