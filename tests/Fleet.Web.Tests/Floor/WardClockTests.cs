using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 7: a headset's times are read on its own ward's clock, the zone named, with a date when not today.</summary>
[Collection(SiteCollection.Name)]
public sealed class WardClockTests(FleetSite site)
{
    private const string Tokyo = "Asia/Tokyo", Bogota = "America/Bogota"; // neither has daylight saving: 14 hours apart all year

    [Fact]
    public Task TwoWardsInDifferentZonesShowEachHeadsetsTimesOnItsOwnWardsClockWithTheZoneNamed() => site.WithLogsAsync(async () =>
    {
        var (east, eastHeadsets) = await site.NewWardAsync(2);
        var (west, westHeadsets) = await site.NewWardAsync(2);
        await site.SetTimeZoneAsync(east, Tokyo);
        await site.SetTimeZoneAsync(west, Bogota);
        // One headset of each ward cleaned: clean for the next 24 hours, so its "clean until" is another day on any clock.
        await Task.WhenAll(site.CleanAsync(eastHeadsets[1]), site.CleanAsync(westHeadsets[1]));
        var queue = await site.GetAsync<List<CleaningQueueItem>>("nurse", "/api/v1/cleaning-queue");
        var nurse = await site.SignedInPageAsync("nurse");

        // The cleaning station over all wards: each dirty headset's due time on its own ward's clock.
        await nurse.GotoAsync("/cleaning");
        foreach (var (headset, zone) in new[] { (eastHeadsets[0], Tokyo), (westHeadsets[0], Bogota) })
        {
            var due = queue.Single(q => q.HeadsetId == headset).DueAt;
            await Expect(nurse.Locator($"li[data-headset='{headset}'] .due")).ToContainTextAsync($"Due {WardClockSteps.OnClock(due, zone)}");
        }

        // The headset page: the ward's zone named in its head, and "clean until" tomorrow there, with the date.
        foreach (var (headset, zone) in new[] { (eastHeadsets[1], Tokyo), (westHeadsets[1], Bogota) })
        {
            var until = (await site.GetAsync<HeadsetDetail>("nurse", $"/api/v1/headsets/{headset}")).Summary.CleanExpiresAt!.Value;
            var expected = WardClockSteps.OnClock(until, zone);
            expected.ShouldContain(" 20", customMessage: "a day ahead is never today on its own clock: the date is shown");
            await nurse.GotoAsync($"/headsets/{headset}");
            await Expect(nurse.Locator(".page-head")).ToContainTextAsync($"(times in {zone})");
            await Expect(nurse.Locator("#hygiene-due")).ToHaveTextAsync($"Clean until {expected}");
        }

        // Fleet health: never-seen headsets say so in the last-seen column, in every ward.
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/fleet?ward={east}");
        await Expect(biomed.Locator($"tr[data-headset='{eastHeadsets[0]}'] td[data-column='lastseen']")).ToHaveTextAsync("never");
    });
}
