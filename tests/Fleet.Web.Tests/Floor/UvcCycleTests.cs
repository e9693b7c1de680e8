using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 1 and 7: a UV-C cycle logged by a cabinet reaches the open single-headset pages, said in words.</summary>
[Collection(BrokerSiteCollection.Name)]
public sealed class UvcCycleTests(FleetSiteWithBroker site)
{
    [Fact]
    public Task AUvcCycleLoggedWhileTheHeadsetAndCleanPagesAreOpenIsSaidOnBothWithTheCabinetAndTheChosenProductIsNotSent() => site.WithLogsAsync(async () =>
    {
        // The cabinet's cycle must begin after the headset was last soiled (here: registered) to make it clean, so this site's
        // UV-C product gets a 2 s cycle instead of the seeded 60 s (the API takes the first active UV-C product by id).
        await site.PostAsync<ProductView>("infection", "/api/v1/products", new ProductRequest("a-uvc-fast", "UV-C cabinet (test, 2 s)", Methods.Uvc, 2, null, true));
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await nurse.GetByLabel("Quaternary ammonium wipe").CheckAsync(); // chosen, not yet started
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Dirty");

        // The headset goes through the UV-C cabinet; its agent reports the cycle.
        var enrollment = await site.PostAsync<EnrollmentView>("biomed", $"/api/v1/headsets/{headset}/enroll", new { });
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the cycle below, 2 s long, then begins after the registration
        using (var agent = await site.ConnectAsync(enrollment.Username, enrollment.Password))
            await site.PublishEventAsync(agent, headset, 1, EventTypes.CleaningCompleted, new CleaningCompletedData("uvc", "UV-2", 2, true), DateTimeOffset.UtcNow);
        await site.WaitUntilStoredAsync(headset, 1);

        var onCleanPage = nurse.Locator("#changed-elsewhere");
        await Expect(onCleanPage).ToContainTextAsync($"{headset} was cleaned in UV-C cabinet UV-2 at ");
        await Expect(onCleanPage).ToContainTextAsync("The product you had chosen was not sent: it is clean now, so there is nothing to start.");
        await Expect(nurse.GetByLabel("Quaternary ammonium wipe")).Not.ToBeCheckedAsync();

        var onHeadsetPage = biomed.Locator("#changed-elsewhere");
        await Expect(onHeadsetPage).ToContainTextAsync("it was cleaned in UV-C cabinet UV-2 at ");
        await Expect(onHeadsetPage).Not.ToContainTextAsync("still");
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Clean");
    });
}
