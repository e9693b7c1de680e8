using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 3: the clean page on a 768 px tablet, one step at a time.</summary>
[Collection(SiteCollection.Name)]
public sealed class CleanPageTests(FleetSite site)
{
    [Fact]
    public Task TheCleanPageShowsOneStepAtATimeWithFinishAboveTheFoldAndCuesTheContactTime() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        var steps = nurse.Locator("[data-step]");
        await Expect(steps).ToHaveCountAsync(1);
        await Expect(steps).ToHaveAttributeAsync("data-step", "pick");
        await Expect(nurse.GetByRole(AriaRole.Button, new() { Name = "Finish cleaning" })).ToHaveCountAsync(0);

        await nurse.GetByLabel("Test wipe (fast)").CheckAsync();
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" }).ClickAsync();
        await Expect(steps).ToHaveAttributeAsync("data-step", "countdown");
        await Expect(steps).ToHaveCountAsync(1);
        await Expect(nurse.GetByRole(AriaRole.Button, new() { Name = "Start cleaning" })).ToHaveCountAsync(0);

        // Finish is on the first screen of the tablet, without scrolling.
        await nurse.EvaluateAsync("() => window.scrollTo(0, 0)");
        var finish = nurse.GetByRole(AriaRole.Button, new() { Name = "Finish cleaning" });
        var box = (await finish.BoundingBoxAsync()).ShouldNotBeNull();
        (box.Y + box.Height).ShouldBeLessThanOrEqualTo(1024, "Finish must be above the fold at 768 x 1024");
        await FleetSite.ScreenshotAsync(nurse, "cleaning-countdown");

        // The cue: the countdown says so, turns into its reached state, and the page sounds its chime once.
        await Expect(nurse.Locator(".countdown.done")).ToHaveTextAsync("Contact time reached: you can finish now.",
            new() { Timeout = (FleetSite.FastContactSeconds + 10) * 1000 });
        (await nurse.EvaluateAsync<int>("() => window.fleetChimes || 0")).ShouldBe(1);
        (await nurse.Locator(".countdown.done").EvaluateAsync<string>("e => getComputedStyle(e).animationName")).ShouldBe("reached");

        await finish.ClickAsync();
        await Expect(steps).ToHaveAttributeAsync("data-step", "done");
        await Expect(steps).ToHaveCountAsync(1);
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = $"{headset} is clean" })).ToBeVisibleAsync();
        await FleetSite.ScreenshotAsync(nurse, "cleaning-done");
    });
}
