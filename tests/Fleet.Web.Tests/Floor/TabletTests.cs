using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 9 (part): touch targets, the favicon, and forms only for what the role may do.</summary>
[Collection(SiteCollection.Name)]
public sealed class TabletTests(FleetSite site)
{
    [Fact]
    public Task EveryControlOnTheCleaningAndAssignPagesIsAtLeast44PxTallCheckboxesIncluded() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var nurse = await site.TabletPageAsync("nurse");
        foreach (var path in new[] { $"/cleaning/{headsets[0]}", $"/assign?ward={ward}", $"/cleaning?ward={ward}" })
        {
            await nurse.GotoAsync(path);
            await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
            var small = await nurse.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('main button, main a.button, main input, main select, main textarea, nav a, header button')]
                  .filter(e => e.getClientRects().length > 0)
                  .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || (e.type === 'checkbox' || e.type === 'radio') && r.width < 44; })
                  .map(e => `${e.tagName.toLowerCase()}#${e.id} ${e.type ?? ''} ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)
                """);
            small.ShouldBeEmpty($"{path}: controls smaller than 44 px");
        }
        var icon = await nurse.Locator("link[rel='icon']").GetAttributeAsync("href");
        (await nurse.APIRequest.GetAsync(icon!)).Status.ShouldBe(200);
    });

    [Fact]
    public Task ANurseSeesNoBiomedFormsOnTheHeadsetPageAndAnInfectionControlOfficerNoAssignForm() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/headsets/{headsets[0]}");
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Raise a hold" })).ToBeVisibleAsync();
        foreach (var biomedOnly in new[] { "Record an inspection", "Agent enrollment", "Device commands", $"Retire {headsets[0]}" })
            await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = biomedOnly })).ToHaveCountAsync(0);

        var infection = await site.SignedInPageAsync("infection");
        await infection.GotoAsync($"/assign?ward={ward}");
        await Expect(infection.GetByLabel("Patient reference")).ToHaveCountAsync(0);
        await Expect(infection.GetByText("assigning is for nurses and schedulers")).ToBeVisibleAsync();
    });

    [Fact]
    public Task OnlyRolesThatCleanGetTheStartAndFinishFormsOnTheCleanPage() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(2);
        await site.PostAsync<CleaningStarted>("nurse", $"/api/v1/headsets/{headsets[1]}/cleanings", new StartCleaningRequest(FleetSite.FastProduct));
        var scheduler = await site.TabletPageAsync("scheduler");
        await scheduler.GotoAsync($"/cleaning/{headsets[0]}");
        await Expect(scheduler.Locator("#not-for-role")).ToContainTextAsync("Cleaning is for nurses, biomedical engineers and administrators");
        await Expect(scheduler.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" })).ToHaveCountAsync(0);
        await scheduler.GotoAsync($"/cleaning/{headsets[1]}");
        await Expect(scheduler.Locator("[data-step='countdown']")).ToBeVisibleAsync();
        await Expect(scheduler.GetByRole(AriaRole.Button, new() { Name = "Finish cleaning" })).ToHaveCountAsync(0);

        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headsets[0]}");
        await Expect(nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" })).ToBeVisibleAsync();
        await Expect(nurse.Locator("#not-for-role")).ToHaveCountAsync(0);
    });
}
