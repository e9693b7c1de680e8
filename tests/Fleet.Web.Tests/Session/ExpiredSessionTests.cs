using System.Net;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Session;

/// <summary>A site whose API issues tokens that live 15 seconds, so a session really expires during a test.</summary>
public sealed class ShortTokenSite : FleetSite
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(15);

    protected override IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["Fleet__Auth__TokenMinutes"] = (TokenLifetime.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class ExpiredSessionTests(ShortTokenSite site) : IClassFixture<ShortTokenSite>
{
    [Fact]
    public Task AnExpiredSessionAsksToSignInAgainOverThePageAndKeepsWhatWasTyped() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.SignedInPageAsync("nurse");
        // A token issued just after the page's: once it is refused, the page's has expired too.
        using var witness = await site.ApiAsAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        await nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)").FillAsync("7");
        await nurse.GetByLabel("Note", new() { Exact = true }).Last.FillAsync("Dizzy after the session");

        await WaitUntilRefusedAsync(witness);
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Report discomfort" }).ClickAsync();

        var dialog = nurse.GetByRole(AriaRole.Dialog, new() { Name = "Your session has expired" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(nurse.Locator("#fms")).ToHaveValueAsync("7");
        await Expect(nurse.Locator("#comfort-note")).ToHaveValueAsync("Dizzy after the session");
        await Expect(dialog.GetByLabel("User name")).ToHaveValueAsync("nurse");
        await FleetSite.ScreenshotAsync(nurse, "session-expired");

        await dialog.GetByLabel("Password").FillAsync("fleet");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign in and continue" }).ClickAsync();
        await Expect(nurse.GetByRole(AriaRole.Status).Filter(new() { HasText = "Discomfort report saved" })).ToBeVisibleAsync();
        await Expect(nurse.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        var reports = await (await site.ApiAsAsync("nurse")).GetFromJsonAsync<List<ComfortReportView>>($"/api/v1/headsets/{headset}/comfort-reports", FleetJson.Options);
        reports!.ShouldHaveSingleItem().Note.ShouldBe("Dizzy after the session");
        reports[0].Fms.ShouldBe(7);
    });

    private static async Task WaitUntilRefusedAsync(HttpClient api)
    {
        var deadline = DateTime.UtcNow + ShortTokenSite.TokenLifetime + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await api.GetAsync("/api/v1/wards");
            if (response.StatusCode == HttpStatusCode.Unauthorized) return;
            // The real API's clock decides expiry; ask again shortly.
            await Task.Delay(500);
        }
        throw new TimeoutException("The short-lived token was never refused.");
    }
}
