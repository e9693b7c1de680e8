using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Access;

/// <summary>A ward tablet held upright is 768 px wide, an office screen 1440 px: no page may make either scroll sideways.</summary>
[Collection(SiteCollection.Name)]
public sealed class NarrowScreenTests(FleetSite site)
{
    private const int TabletWidth = 768;

    [Fact]
    public Task TheCleaningStationFitsATabletWithoutScrollingSideways() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        await site.RaiseFlagAsync(headsets[1], "maintenance", "Strap adjuster sticks");
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.SetViewportSizeAsync(TabletWidth, 1024);

        await nurse.GotoAsync($"/cleaning?ward={ward}");
        await Expect(nurse.Locator($"#cleaning-queue [data-headset='{headsets[0]}']")).ToContainTextAsync("Dirty");
        await ShouldNotScrollSidewaysAsync(nurse);

        await nurse.GotoAsync($"/cleaning/{headsets[0]}");
        await Expect(nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" })).ToBeVisibleAsync();
        await ShouldNotScrollSidewaysAsync(nurse);
    });

    [Fact]
    public Task TheHeadsetPageFitsATabletWithoutScrollingSideways() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        await site.RaiseFlagAsync(headset, "maintenance", "Lens smear under the cover, left eye; the cover clip is loose");
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.SetViewportSizeAsync(TabletWidth, 1024);

        await biomed.GotoAsync($"/headsets/{headset}");
        await Expect(biomed.Locator(".flag")).ToContainTextAsync("Lens smear under the cover");
        await Expect(biomed.GetByRole(AriaRole.Heading, new() { Name = "Audit history" })).ToBeVisibleAsync();
        await ShouldNotScrollSidewaysAsync(biomed);
    });

    [Fact]
    public Task TheTasksPageFitsATabletWithoutScrollingSideways() => site.WithLogsAsync(async () =>
    {
        var (ward, _, headsets) = await site.NewWardWithTasksAsync(2, "Asia/Tokyo");
        await site.WaitForTaskAsync(ward, TaskKinds.CleaningDue, headsets[1]);
        var nurse = await site.TabletPageAsync("nurse");

        await nurse.GotoAsync($"/tasks?ward={ward}");
        await Expect(nurse.Locator("#tasks li[data-task]")).ToHaveCountAsync(2);
        await ShouldNotScrollSidewaysAsync(nurse);

        // Every ward's: the seeded wards' deep cleans bring their Mark done forms and long messages.
        await nurse.GotoAsync("/tasks");
        await Expect(nurse.Locator("#tasks li[data-task]").First).ToBeVisibleAsync();
        await ShouldNotScrollSidewaysAsync(nurse);
    });

    [Fact]
    public Task FleetHealthShowsEveryColumnAt1440AndFitsATabletWithoutScrollingSideways() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(2);
        await site.RaiseFlagAsync(headsets[1], "maintenance", "Strap adjuster sticks");
        // The widest row this page must carry, whatever other tests left in the fleet: a long asset tag
        // in one unbroken word, with two flags.
        var longTag = await site.PostAsync<IdResponse>("biomed", "/api/v1/headsets",
            new RegisterHeadsetRequest($"SN-LONG-{ward}", $"VR-{ward}-PAEDIATRIC-HAEMATOLOGY-ONCOLOGY-DAY-UNIT", "pico-4e", ward));
        await site.RaiseFlagAsync(longTag.Id, "maintenance", "Strap adjuster sticks");
        await site.RaiseFlagAsync(longTag.Id, "damage", "Cracked facial interface");
        var biomed = await site.SignedInPageAsync("biomed");

        await biomed.GotoAsync("/fleet");
        await Expect(biomed.Locator($"tr[data-headset='{longTag.Id}']")).ToContainTextAsync("damage");
        await Expect(biomed.Locator($"tr[data-headset='{headsets[1]}']")).ToContainTextAsync("maintenance");
        await ShouldNotScrollSidewaysAsync(biomed);
        // Nor does the table scroll within its frame: at 1440 px every column is in view.
        var table = await biomed.Locator("#fleet-table").EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
        table[0].ShouldBeLessThanOrEqualTo(table[1], "the fleet table is wider than its frame at 1440 px");

        await biomed.SetViewportSizeAsync(TabletWidth, 1024);
        await ShouldNotScrollSidewaysAsync(biomed);
    });

    /// <summary>Fails naming the innermost elements that stick out past the right edge, so the fix is easy to find.</summary>
    private static async Task ShouldNotScrollSidewaysAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        if (scroll <= client) return;
        var culprits = await page.EvaluateAsync<string[]>("""
            () => {
              const edge = document.documentElement.clientWidth;
              const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > edge + 0.5);
              return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
            }
            """);
        scroll.ShouldBeLessThanOrEqualTo(client, $"{page.Url} scrolls sideways at {client} px; sticking out: {string.Join("; ", culprits)}");
    }
}
