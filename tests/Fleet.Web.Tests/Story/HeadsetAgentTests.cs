using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Messaging;
using MQTTnet;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Story;

/// <summary>The headset page with a broker behind the API: enrolling an agent, and what the agent then sends.</summary>
[Collection(BrokerSiteCollection.Name)]
public sealed class HeadsetAgentTests(FleetSiteWithBroker site)
{
    [Fact]
    public Task EnrollingShowsWorkingCredentialsOnceAndRotatingThemAsksFirstSayingWhatHappens() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        await biomed.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();

        var credentials = biomed.GetByRole(AriaRole.Alert).Filter(new() { Has = biomed.GetByRole(AriaRole.Heading, new() { Name = $"Agent credentials for {headset}: shown once" }) });
        await Expect(credentials).ToBeVisibleAsync();
        var username = await credentials.Locator("dt:text-is('User name') + dd").InnerTextAsync();
        var password = await credentials.Locator("dt:text-is('Password') + dd").InnerTextAsync();
        username.ShouldBe(headset); // the contract: a headset's MQTT user name is its id
        password.ShouldNotBeNullOrWhiteSpace();

        // A reload or a revisit never shows the password again, nor issues a new one (nothing is posted by the page).
        await biomed.ReloadAsync();
        await ShouldNotShowAsync(biomed, headset, password);
        await biomed.GotoAsync($"/headsets/{headset}");
        await ShouldNotShowAsync(biomed, headset, password);
        await Expect(biomed.Locator("dt:text-is('Enrolled') + dd")).Not.ToHaveTextAsync("—");

        // Rotating asks first, naming the headset and what it does to the agent; cancelling issues nothing.
        await biomed.GetByRole(AriaRole.Button, new() { Name = "Enroll again (rotate credentials)" }).ClickAsync();
        var confirm = biomed.GetByRole(AriaRole.Alertdialog, new() { Name = $"Rotate the agent credentials of {headset}?" });
        await Expect(confirm).ToContainTextAsync("The old one stops working at once");
        await Expect(confirm).ToContainTextAsync(headset);
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        var audit = biomed.GetByRole(AriaRole.Table, new() { Name = $"Audit history of {headset}" }).Locator("tbody tr");
        await Expect(audit.Filter(new() { HasText = "headset enrolled" })).ToHaveCountAsync(1);

        // After the reload, the revisit and the cancelled rotation, so it also shows that none issued new credentials.
        using (var agent = await site.ConnectAsync(username, password))
            agent.IsConnected.ShouldBeTrue();
        var refused = await Should.ThrowAsync<BrokerRefusedException>(() => site.ConnectAsync(username, "made-up-password"));
        refused.Result.ResultCode.ShouldBeOneOf(MqttClientConnectResultCode.NotAuthorized, MqttClientConnectResultCode.BadUserNameOrPassword);
    });

    [Fact]
    public Task TheBatteryChartShowsTheReadingsTheHeadsetSentInTheLast24Hours() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var enrollment = await site.PostAsync<EnrollmentView>("biomed", $"/api/v1/headsets/{headset}/enroll", new { });
        var now = DateTimeOffset.UtcNow;
        // The first reading is older than the chart's 24 hours (yet young enough for the API to accept): it must not count.
        (TimeSpan Ago, int Percent)[] readings =
            [(TimeSpan.FromHours(30), 10), (TimeSpan.FromMinutes(90), 90), (TimeSpan.FromMinutes(60), 40), (TimeSpan.FromMinutes(20), 65)];
        using (var agent = await site.ConnectAsync(enrollment.Username, enrollment.Password))
        {
            for (var i = 0; i < readings.Length; i++)
                await site.PublishEventAsync(agent, headset, i + 1, EventTypes.Battery, new BatteryData(readings[i].Percent, false, 31.5, 96, 143), now - readings[i].Ago);
        }
        await site.WaitUntilStoredAsync(headset, readings.Length);

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GotoAsync($"/headsets/{headset}");
        var chart = biomed.GetByRole(AriaRole.Figure).Filter(new() { HasText = "Battery level, last 24 h" });
        await Expect(chart.GetByRole(AriaRole.Img, new() { Name = "Battery level, last 24 h" })).ToBeVisibleAsync();
        await Expect(chart.Locator("figcaption")).ToHaveTextAsync(
            new Regex(@"^Battery level, last 24 h: latest 65% at .+, lowest 40%, highest 90% \(3 readings\)\.$"));
        // Readings 30 and 40 minutes apart make one unbroken line (a gap over an hour would break it).
        await Expect(chart.Locator("polyline")).ToHaveCountAsync(1);
        await Expect(biomed.Locator("dt:text-is('Battery') + dd")).ToHaveTextAsync("65 %");
    });

    private static async Task ShouldNotShowAsync(IPage page, string headset, string password)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Agent credentials for {headset}: shown once" })).ToHaveCountAsync(0);
        await Expect(page.Locator("body")).Not.ToContainTextAsync(password);
    }
}
