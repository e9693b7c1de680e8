using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
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

    [Fact]
    public Task BeforeThePageIsInteractiveTheCountdownAlreadySaysTheMinutesAndSecondsLeft() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var product = $"slow-wipe-{Guid.NewGuid().ToString("N")[..6]}";
        await site.PostAsync<ProductView>("infection", "/api/v1/products", new ProductRequest(product, "Test wipe (slow)", Methods.QuaternaryAmmonium, 150, null, true));
        var started = await site.PostAsync<CleaningStarted>("nurse", $"/api/v1/headsets/{headsets[0]}/cleanings", new StartCleaningRequest(product));

        // The page as the server first sends it: no script runs here, so nothing after the prerender changes it.
        var context = await site.Browser.NewContextAsync(new() { BaseURL = site.Web.Url.ToString(), JavaScriptEnabled = false });
        var nurse = await context.NewPageAsync();
        await nurse.GotoAsync("/signin");
        await nurse.GetByLabel("User name").FillAsync("nurse");
        await nurse.GetByLabel("Password").FillAsync("fleet");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(nurse.GetByText("Signed in as nurse")).ToBeVisibleAsync();
        var before = started.EarliestCompletion - DateTimeOffset.UtcNow;
        await nurse.GotoAsync($"/cleaning/{headsets[0]}");
        var after = started.EarliestCompletion - DateTimeOffset.UtcNow;

        var text = (await nurse.Locator(".countdown").InnerTextAsync()).Trim();
        var said = Regex.Match(text, @"^Keep wet: (\d+):(\d\d) left$");
        said.Success.ShouldBeTrue($"the prerendered countdown says \"{text}\"");
        var left = int.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture) * 60 + int.Parse(said.Groups[2].Value, CultureInfo.InvariantCulture);
        left.ShouldBeInRange((int)Math.Floor(after.TotalSeconds), (int)Math.Ceiling(before.TotalSeconds));
        await context.CloseAsync();
    });
}
