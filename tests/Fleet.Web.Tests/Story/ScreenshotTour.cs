using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

/// <summary>
/// Acceptance 10: every page at 1440 and 768 px into docs/screenshots (the README shows them). A new page is one more
/// line in <see cref="Pages"/>; states a page only reaches through a story (countdown, refused, expired session) are
/// saved by those stories.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class ScreenshotTour(FleetSite site)
{
    /// <summary>Name of the PNG, who looks, and where, with {ward} and {headset} from a ward made for the tour.</summary>
    private static readonly (string Name, string? User, string Path)[] Pages =
    [
        ("signin", null, "/signin"),
        ("cleaning-queue", "nurse", "/cleaning?ward={ward}"),
        ("clean", "nurse", "/cleaning/{headset}"),
        ("assign", "scheduler", "/assign?ward={ward}"),
        ("tasks", "nurse", "/tasks?ward={ward}"),
        ("fleet", "biomed", "/fleet"),
        ("headset", "biomed", "/headsets/{headset}"),
        ("trace", "infection", "/trace"),
        ("compliance", "infection", "/compliance"),
        ("system", "biomed", "/system"),
        ("system-dead-letters", "biomed", "/system/dead-letters"),
        ("admin", "admin", "/admin"),
        ("admin-headsets", "admin", "/admin/headsets"),
        ("admin-models", "admin", "/admin/models"),
        ("admin-wards", "admin", "/admin/wards"),
        ("admin-products", "infection", "/admin/products"),
        ("admin-users", "admin", "/admin/users"),
        ("not-found", "nurse", "/not-found"),
    ];

    [Fact]
    public Task EveryPageIsPhotographedAtTabletAndDesktopWidth() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(3);
        await site.CleanAsync(headsets[1]);
        await site.RaiseFlagAsync(headsets[2], FlagKindNames.Damage, "Strap torn.");
        foreach (var (name, user, template) in Pages)
        {
            var page = user is null ? await site.NewPageAsync() : await site.SignedInPageAsync(user);
            await page.GotoAsync(template.Replace("{ward}", ward).Replace("{headset}", headsets[0]));
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            if (await page.Locator("#live-status").CountAsync() > 0)
                await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
            await FleetSite.ScreenshotAsync(page, name);
            await page.Context.CloseAsync();
        }
        foreach (var (name, _, _) in Pages)
            foreach (var width in new[] { 768, 1440 })
                File.Exists(Path.Combine(FleetSite.RepositoryRoot, "docs", "screenshots", $"{name}-{width}.png")).ShouldBeTrue($"{name}-{width}.png");
    });
}
