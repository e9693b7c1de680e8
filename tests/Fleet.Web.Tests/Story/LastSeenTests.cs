using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

/// <summary>Acceptance 4 and 7: fleet health says when each headset was last heard from, on its ward's clock, and sorts by it.</summary>
[Collection(BrokerSiteCollection.Name)]
public sealed class LastSeenTests(FleetSiteWithBroker site)
{
    [Fact]
    public Task FleetHealthShowsWhenEachHeadsetWasLastSeenOnItsWardsClockAndSortsByItWithNeverLast() => site.WithLogsAsync(async () =>
    {
        var (east, eastHeadsets) = await site.NewWardAsync(3);
        var (west, westHeadsets) = await site.NewWardAsync(1);
        await site.SetTimeZoneAsync(east, "Asia/Tokyo");
        await site.SetTimeZoneAsync(west, "America/Bogota");
        // Heard from one after the other (the API stamps the time it hears a headset); eastHeadsets[2] never.
        foreach (var headset in new[] { eastHeadsets[1], eastHeadsets[0], westHeadsets[0] })
        {
            var enrollment = await site.PostAsync<EnrollmentView>("biomed", $"/api/v1/headsets/{headset}/enroll", new { });
            using (var agent = await site.ConnectAsync(enrollment.Username, enrollment.Password))
                await site.PublishEventAsync(agent, headset, 1, EventTypes.Battery, new BatteryData(80, false, 30, 97, 10), DateTimeOffset.UtcNow);
            await site.WaitUntilStoredAsync(headset, 1);
            await Task.Delay(50);
        }
        var seen = (await site.GetAsync<List<HeadsetSummary>>("biomed", "/api/v1/headsets")).ToDictionary(h => h.Id, h => h.LastSeenAt);

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync("/fleet");
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        ILocator LastSeen(string headset) => biomed.Locator($"tr[data-headset='{headset}'] td[data-column='lastseen']");
        await Expect(LastSeen(eastHeadsets[0])).ToHaveTextAsync(WardClockSteps.OnClock(seen[eastHeadsets[0]]!.Value, "Asia/Tokyo"));
        await Expect(LastSeen(westHeadsets[0])).ToHaveTextAsync(WardClockSteps.OnClock(seen[westHeadsets[0]]!.Value, "America/Bogota"));
        await Expect(LastSeen(eastHeadsets[2])).ToHaveTextAsync("never");

        await biomed.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(east);
        var rows = biomed.Locator("#fleet-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var byLastSeen = biomed.GetByRole(AriaRole.Button, new() { Name = "Last seen", Exact = true });
        await byLastSeen.ClickAsync();
        await Expect(biomed.Locator("th[aria-sort='ascending']")).ToContainTextAsync("Last seen");
        await Expect(biomed).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=lastseen"));
        await ExpectOrderAsync(rows, eastHeadsets[1], eastHeadsets[0], eastHeadsets[2]);
        await byLastSeen.ClickAsync();
        await Expect(biomed.Locator("th[aria-sort='descending']")).ToContainTextAsync("Last seen");
        await ExpectOrderAsync(rows, eastHeadsets[0], eastHeadsets[1], eastHeadsets[2]); // never seen stays last, as unknown values do
    });

    private static async Task ExpectOrderAsync(ILocator rows, params string[] headsets)
    {
        for (var i = 0; i < headsets.Length; i++) await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-headset", headsets[i]);
    }
}
