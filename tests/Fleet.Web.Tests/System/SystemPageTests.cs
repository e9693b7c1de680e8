using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

// Not Fleet.Web.Tests.System: a namespace ending in .System would hide the framework's System from every test namespace.
namespace Fleet.Web.Tests.SystemStatus;

/// <summary>The System page, with a real broker behind the API: what ingestion, the broker and the jobs did shows on it.</summary>
[Collection(BrokerSiteCollection.Name)]
public sealed class SystemPageTests(FleetSiteWithBroker site)
{
    [Fact]
    public Task TheSystemPagesTimesAreOnTheHospitalsClockWithTheZoneNamed() => site.WithLogsAsync(async () =>
    {
        var status = await site.GetAsync<Contracts.Api.SystemStatus>("biomed", "/api/v1/system");
        var instance = status.Instances.Single(i => i.Id == "fleet-api-web-tests");
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync("/system");

        var zone = FleetSiteWithBroker.HospitalZone;
        await Expect(biomed.Locator("#system-read-at")).ToHaveTextAsync(new Regex($@"^Read at (\d+ \w+ \d{{4}} )?\d\d:\d\d {Regex.Escape(zone)};"));
        await Expect(biomed.Locator("#instances tr[data-instance='fleet-api-web-tests']")).ToContainTextAsync(WardClockSteps.OnClock(instance.StartedAt, zone));
        await Expect(biomed.Locator("#jobs tr[data-job='ExpiryJob'] td").First).ToHaveTextAsync(new Regex($" {Regex.Escape(zone)}$"));
    });

    [Fact]
    public Task TheSystemPageShowsADeadLetteredMessageUnderItsReasonAndTheLinkLeadsToIt() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var enrollment = await site.PostAsync<EnrollmentView>("biomed", $"/api/v1/headsets/{headset}/enroll", new { });
        var before = NotJson(await site.GetAsync<Contracts.Api.SystemStatus>("biomed", "/api/v1/system"));
        using (var agent = await site.ConnectAsync(enrollment.Username, enrollment.Password))
        {
            var now = DateTimeOffset.UtcNow;
            await site.PublishEventAsync(agent, headset, 1, EventTypes.Battery, new BatteryData(70, false, 31.5, 96, 143), now);
            await site.PublishEventAsync(agent, headset, 2, EventTypes.Battery, new BatteryData(69, false, 31.5, 96, 143), now);
            await agent.PublishCheckedAsync(TestMqtt.Message(site.Topics.Events(headset), "{ this is not json"));
        }
        await site.WaitUntilStoredAsync(headset, 2);
        await WaitUntilAsync(async () => NotJson(await site.GetAsync<Contracts.Api.SystemStatus>("biomed", "/api/v1/system")) == before + 1,
            "the dead letter to be counted");

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "System" }).ClickAsync();
        await Expect(biomed.GetByRole(AriaRole.Heading, new() { Name = "System", Exact = true })).ToBeVisibleAsync();

        var row = biomed.Locator("#dead-letters tr[data-reason='not_json']");
        await Expect(row.Locator("[data-col='total']")).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(biomed.Locator("#instances tr[data-instance='fleet-api-web-tests']")).ToContainTextAsync("Healthy");
        await Expect(biomed.Locator("#instances tr[data-instance='fleet-api-web-tests'] [data-check='broker']")).ToContainTextAsync("Connected to the broker.");
        // The API's scheduler starts every job at once; their first runs are listed with their outcome.
        await Expect(biomed.Locator("#jobs tr[data-job='ExpiryJob']")).ToContainTextAsync("Succeeded");
        (await Number(biomed.Locator("#ingest-stats [data-stat='stored'] strong"))).ShouldBeGreaterThanOrEqualTo(2, "this test's two events at least");
        await Expect(biomed.GetByRole(AriaRole.Img, new() { Name = "Events stored per minute" })).ToBeVisibleAsync();
        await Expect(biomed.GetByRole(AriaRole.Img, new() { Name = "Lag p99 per minute" })).ToBeVisibleAsync();
        // Mosquitto's $SYS numbers, read through the API's monitor account: the API, the monitor itself, at least.
        (await Number(biomed.Locator("#broker-stats [data-stat='clients'] strong"))).ShouldBeGreaterThanOrEqualTo(2);
        await Expect(biomed.Locator("#broker-stats [data-stat='queued'] strong")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(biomed.Locator("#ehr-stats [data-stat='pending'] strong")).ToHaveTextAsync("0"); // no EHR is configured here
        await FleetSite.ScreenshotAsync(biomed, "system");

        await row.GetByRole(AriaRole.Link, new() { Name = "not json" }).ClickAsync();
        await Expect(biomed).ToHaveURLAsync(new Regex(@"/system/dead-letters\?reason=not_json$"));
        await Expect(biomed.GetByRole(AriaRole.Heading, new() { Name = "Dead letters: not json" })).ToBeVisibleAsync();
        var mine = biomed.Locator("#dead-letter-list tbody tr").Filter(new() { Has = biomed.GetByRole(AriaRole.Link, new() { Name = headset, Exact = true }) });
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine).ToContainTextAsync("not json");
        await Expect(biomed.Locator("#dead-letter-list tbody tr:not([data-reason='not_json'])")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task ANurseSeesNoSystemLinkAndIsNotAllowedOnThePage() => site.WithLogsAsync(async () =>
    {
        var nurse = await site.SignedInPageAsync("nurse");
        var nav = nurse.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Cleaning station" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "System" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/system", "/system/dead-letters?reason=not_json" })
        {
            var response = await nurse.GotoAsync(path);
            response!.Status.ShouldBe(403, path);
            await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
            await Expect(nurse.Locator("#dead-letters, #dead-letter-list, #instances")).ToHaveCountAsync(0);
        }
    });

    private static long NotJson(Contracts.Api.SystemStatus s) => s.DeadLetters.SingleOrDefault(d => d.Reason == "not_json")?.Total ?? 0;

    private static async Task<long> Number(ILocator locator)
    {
        await Expect(locator).ToHaveTextAsync(new Regex(@"^\d+$"));
        return long.Parse(await locator.InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
