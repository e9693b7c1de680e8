using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Form drafts hold what was typed, a patient reference among it, on a shared tablet: they end with the session or in 30 minutes.</summary>
[Collection(SiteCollection.Name)]
public sealed class FormDraftTests(FleetSite site)
{
    private const string Drafts = "Object.keys(sessionStorage).filter(k => k.startsWith('fleet-draft:')).length";

    [Fact]
    public Task SigningOutForgetsTheAssignDraftSoTheNextPersonInTheTabNeverSeesThePatient() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        await site.CleanAsync(headsets[0]);
        var tab = await site.TabletPageAsync("scheduler");
        await OpenAssignAsync(tab, ward);
        await tab.GetByLabel("Patient reference").FillAsync("MRN-PRIVATE-1");
        (await tab.EvaluateAsync<string>("sessionStorage.getItem('fleet-draft:assign') || ''")).ShouldContain("MRN-PRIVATE-1");

        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(tab.GetByText("You have signed out.")).ToBeVisibleAsync();
        (await tab.EvaluateAsync<int>(Drafts)).ShouldBe(0);

        // The sign-in page forgets drafts by itself too, for when the sign-out page's script did not run.
        await tab.EvaluateAsync("sessionStorage.setItem('fleet-draft:assign', JSON.stringify({ savedAt: Date.now(), values: { patientRef: 'MRN-PRIVATE-2' } }))");
        await tab.ReloadAsync();
        await Expect(tab.GetByLabel("User name")).ToBeVisibleAsync();
        (await tab.EvaluateAsync<int>(Drafts)).ShouldBe(0);

        await tab.GetByLabel("User name").FillAsync("nurse");
        await tab.GetByLabel("Password").FillAsync("fleet");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.GetByText("Signed in as nurse")).ToBeVisibleAsync();
        await OpenAssignAsync(tab, ward);
        await Expect(tab.GetByLabel("Patient reference")).ToHaveValueAsync("");
    });

    [Fact]
    public Task ADraftOlderThanThirtyMinutesIsNotRestoredAndAFreshOneIs() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        await site.CleanAsync(headsets[0]);
        var tab = await site.TabletPageAsync("scheduler");
        await OpenAssignAsync(tab, ward);

        await tab.EvaluateAsync("sessionStorage.setItem('fleet-draft:assign', JSON.stringify({ savedAt: Date.now() - 31 * 60 * 1000, values: { patientRef: 'MRN-OLD' } }))");
        await tab.ReloadAsync();
        await Expect(tab.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(tab.GetByLabel("Patient reference")).ToHaveValueAsync("");
        (await tab.EvaluateAsync<string?>("sessionStorage.getItem('fleet-draft:assign')")).ShouldBeNull();

        // The same draft 29 minutes old is still what was typed.
        await tab.EvaluateAsync("sessionStorage.setItem('fleet-draft:assign', JSON.stringify({ savedAt: Date.now() - 29 * 60 * 1000, values: { patientRef: 'MRN-FRESH' } }))");
        await tab.ReloadAsync();
        await Expect(tab.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(tab.GetByLabel("Patient reference")).ToHaveValueAsync("MRN-FRESH");
    });

    private static async Task OpenAssignAsync(IPage tab, string ward)
    {
        await tab.GotoAsync($"/assign?ward={ward}");
        await Expect(tab.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
    }
}
