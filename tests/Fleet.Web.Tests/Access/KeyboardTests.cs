using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Access;

[Collection(SiteCollection.Name)]
public sealed class KeyboardTests(FleetSite site)
{
    [Fact]
    public Task SignInNavigationAndAssignmentWorkWithTheKeyboardAlone() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        await site.CleanAsync(headsets[0]);

        var page = await site.NewPageAsync();
        await page.GotoAsync("/signin");
        await Expect(page.GetByText("Development logins")).ToBeVisibleAsync(); // Development only: see ProductionWebTests
        await page.Keyboard.TypeAsync("scheduler"); // the user name field has focus on arrival
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("fleet");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/assign$"));

        await page.GotoAsync($"/assign?ward={ward}");
        await TabToAsync(page, "#patientRef");
        (await FocusOutlineAsync(page)).ShouldNotBe("none", "focus must be visible");
        await page.Keyboard.TypeAsync("MRN-KEYS-1");
        await TabToAsync(page, $"[data-headset='{headsets[0]}'] button");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headsets[0]} is assigned to MRN-KEYS-1" })).ToBeVisibleAsync();

        await TabToAsync(page, "nav a[href='/assign']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Assign a headset" })).ToBeVisibleAsync();
    });

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has focus (a bounded number of times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector)) return;
        }
        throw new ShouldAssertException($"Tab never reached {selector}.");
    }

    private static Task<string> FocusOutlineAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
}
