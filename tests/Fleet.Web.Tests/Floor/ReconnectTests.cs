using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Acceptance 9 (part): a lost connection shows a banner, keeps what was typed and sends it once when it is back.</summary>
[Collection(SiteCollection.Name)]
public sealed class ReconnectTests(FleetSite site)
{
    [Fact]
    public Task WhenTheConnectionDropsABannerSaysSoAndTheNoteTypedAcrossTheDropIsSentOnceAfterwards() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.TabletPageAsync("nurse");

        // The circuit's WebSocket goes through the test, which can cut it and refuse new connections for a while.
        var cut = false;
        var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        await nurse.RouteWebSocketAsync(new Regex("/_blazor"), async ws =>
        {
            if (cut) { await ws.CloseAsync(); return; }
            lock (sockets) sockets.Add((ws, ws.ConnectToServer()));
        });
        await nurse.RouteAsync(new Regex("/_blazor/negotiate"), r => cut ? r.AbortAsync() : r.ContinueAsync());

        await nurse.GotoAsync($"/headsets/{headset}");
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var note = nurse.Locator("#hold-note");
        await note.FillAsync("Lens cracked at the hinge.");

        cut = true;
        foreach (var (page, server) in sockets.ToList())
        {
            await server.CloseAsync();
            await page.CloseAsync();
        }
        var banner = nurse.Locator("#components-reconnect-modal");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("Connection to Fleet lost.");
        await nurse.Keyboard.TypeAsync(" Found at handover."); // the field still has the focus: typing goes on

        cut = false;
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 60_000 });
        await Expect(note).ToHaveValueAsync("Lens cracked at the hinge. Found at handover.");
        await nurse.GetByRole(AriaRole.Button, new() { Name = "Raise hold" }).ClickAsync();
        await Expect(FleetSite.Confirmation(nurse)).ToContainTextAsync($"{headset} is held");

        var flags = await site.GetAsync<List<FlagView>>("nurse", $"/api/v1/headsets/{headset}/flags");
        flags.ShouldHaveSingleItem().Note.ShouldBe("Lens cracked at the hinge. Found at handover.");
    });
}
