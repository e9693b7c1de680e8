using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

[Collection(SiteCollection.Name)]
public sealed class BiomedTests(FleetSite site)
{
    [Fact]
    public Task FleetHealthSummarisesTheFleetByStateAndListsItsOpenAlerts() => site.WithLogsAsync(async () =>
    {
        // A model whose housing is rated for a single cleaning: one cleaning uses its whole lifetime (alert lifetime_high).
        var model = $"fragile-{Guid.NewGuid():N}"[..20];
        await site.PostAsync<ModelView>("admin", "/api/v1/models",
            new ModelRequest(model, "Test", "Fragile test model", 120, 500, 3, 300, 1, [Methods.QuaternaryAmmonium]));
        var (_, headsets) = await site.NewWardAsync(1, model);
        var worn = headsets[0];
        await site.CleanAsync(worn);
        var alert = await OpenAlertAsync(worn, AlertKinds.LifetimeHigh);
        var health = await site.GetAsync<FleetHealth>("biomed", "/api/v1/fleet/health");

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync("/fleet");
        var summary = biomed.GetByRole(AriaRole.List, new() { Name = "Fleet summary" });
        await Expect(summary).ToContainTextAsync($"{health.Total} headsets");
        await Expect(summary).ToContainTextAsync($"{health.Ready} ready");
        await Expect(summary).ToContainTextAsync($"{health.OpenAlerts.Count} open alerts");
        var byState = biomed.GetByRole(AriaRole.List, new() { Name = "In service, by hygiene state" });
        await Expect(byState.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(health.ByState.Count);
        foreach (var (state, count) in health.ByState)
            await Expect(byState.Locator($"[data-state='{state}'] strong")).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(byState.Locator("[data-state='InUse']")).ToContainTextAsync("In use");

        var listed = biomed.GetByRole(AriaRole.List, new() { Name = "Open alerts, newest first" }).Locator($"[data-alert='{alert.Id}']");
        await Expect(listed).ToContainTextAsync("Warning");
        await Expect(listed).ToContainTextAsync($"{worn} has used 100 % of its rated lifetime: budget its replacement.");
        await Expect(listed.GetByRole(AriaRole.Link, new() { Name = worn })).ToHaveAttributeAsync("href", $"/headsets/{worn}");
        await Expect(biomed.Locator($"#fleet-table tr[data-headset='{worn}']")).ToContainTextAsync("warning: " + alert.Message);
        await FleetSite.ScreenshotAsync(biomed, "fleet");
    });

    [Fact]
    public Task ABiomedInspectsAndRetiresAHeadsetAndItsAuditHistoryListsBoth() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        var lastInspection = biomed.Locator("dt:text-is('Last inspection') + dd");
        await Expect(lastInspection).ToHaveTextAsync("—");

        await biomed.GetByLabel("Inspection note").FillAsync("Lenses clean, IPD calibrated, strap fine.");
        await biomed.GetByRole(AriaRole.Button, new() { Name = "Record inspection" }).ClickAsync();
        await Expect(biomed.GetByRole(AriaRole.Status).Filter(new() { HasText = "Inspection recorded." })).ToBeVisibleAsync();
        await Expect(lastInspection).Not.ToHaveTextAsync("—");

        // No broker runs in these tests: the API answers 503 broker_unavailable, and the page says so in words.
        await biomed.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();
        await Expect(biomed.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            $"{headset} was not enrolled; no credentials were issued. Fleet cannot issue agent credentials: the broker's dynamic-security administrator is not configured.");
        await Expect(biomed.GetByRole(AriaRole.Heading, new() { Name = "Agent credentials" })).ToHaveCountAsync(0);
        await Expect(biomed.Locator("dt:text-is('Enrolled') + dd")).ToHaveTextAsync("—");

        await biomed.GetByLabel("Why is it retired?").FillAsync("Housing cracked beyond repair.");
        await biomed.GetByLabel($"I understand {headset} will never be assigned again.").CheckAsync();
        await biomed.GetByRole(AriaRole.Button, new() { Name = $"Retire {headset}" }).ClickAsync();
        await Expect(biomed.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{headset} is retired." })).ToBeVisibleAsync();
        await Expect(biomed.Locator(".page-head")).ToContainTextAsync("Retired");
        await Expect(biomed.GetByRole(AriaRole.Button, new() { Name = $"Retire {headset}" })).ToHaveCountAsync(0);

        var audit = biomed.GetByRole(AriaRole.Table).Filter(new() { HasText = "headset registered" }).Locator("tbody tr");
        await Expect(audit.Filter(new() { HasText = "headset inspected" })).ToContainTextAsync("Jordan Lee, biomedical engineer");
        await Expect(audit.Filter(new() { HasText = "headset inspected" })).ToContainTextAsync("Lenses clean, IPD calibrated, strap fine.");
        await Expect(audit.Filter(new() { HasText = "headset retired" })).ToContainTextAsync("Housing cracked beyond repair.");
        await Expect(audit.Filter(new() { HasText = "headset enrolled" })).ToHaveCountAsync(0);

        var scheduler = await site.SignedInPageAsync("scheduler");
        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.GetByRole(AriaRole.List, new() { Name = "Headsets, ready first" })).Not.ToContainTextAsync(headset);
        await scheduler.GetByRole(AriaRole.Button, new() { Name = "Retired headsets of this ward (1)" }).ClickAsync();
        var retired = scheduler.GetByRole(AriaRole.List, new() { Name = "Retired headsets" }).Locator($"[data-headset='{headset}']");
        await Expect(retired).ToContainTextAsync("Blocked");
        await Expect(retired.Locator("[data-code='retired']")).ToHaveTextAsync("It has been retired from service.");
        await Expect(retired.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    });

    [Fact]
    public Task TheHeadsetPageCountsTodaysSessionsAndCleaningsPerDayAndInItsCounters() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        await site.CleanAsync(headset);
        var session = await site.UseAsync(ward, headset, $"P-{headset}");
        await site.CleanAsync(headset);
        // Days are the ward's: a clock (without daylight saving) on which it is already tomorrow or still yesterday now.
        var zone = session.StartedAt.UtcDateTime.Hour < 10 ? "Pacific/Pago_Pago" : "Pacific/Kiritimati"; // UTC-11, UTC+14
        await site.SetTimeZoneAsync(ward, zone);
        var today = TimeZoneInfo.ConvertTime(session.StartedAt, TimeZoneInfo.FindSystemTimeZoneById(zone))
            .ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture);

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        // A details element opened on the prerendered page is closed again when the live page replaces it: wait for it.
        await Expect(biomed.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        foreach (var (title, count) in new[] { ("Sessions per day", 1), ("Cleanings per day", 2) })
        {
            var chart = biomed.GetByRole(AriaRole.Figure).Filter(new() { HasText = title });
            await Expect(chart.Locator("figcaption")).ToHaveTextAsync($"{title}: {count} in 30 days.");
            // Today is the last of the 30 bars.
            await Expect(chart.Locator("rect.bar")).ToHaveCountAsync(30);
            await Expect(chart.Locator("rect.bar title").Last).ToHaveTextAsync($"{today}: {count}");
            await chart.GetByText($"{title} as a table").ClickAsync();
            await Expect(chart.GetByRole(AriaRole.Table).Locator("tbody td")).ToHaveTextAsync([today, $"{count}"]);
        }
        await Expect(biomed.Locator("dt:text-is('Sessions') + dd")).ToHaveTextAsync("1");
        await Expect(biomed.Locator("dt:text-is('Cleanings') + dd")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^2 "));
    });

    /// <summary>The alert the API's jobs open moments after the change that caused it.</summary>
    private async Task<AlertView> OpenAlertAsync(string headsetId, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var open = await site.GetAsync<List<AlertView>>("biomed", $"/api/v1/alerts?open=true&headsetId={headsetId}&kind={kind}");
            if (open.Count > 0) return open[0];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No open {kind} alert on {headsetId}.\n{site.Logs}");
            await Task.Delay(200); // the reconcile after a change gathers for 500 ms first
        }
    }
}
