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

    [Fact]
    public Task WhatWasTypedIntoTheAssignFormSurvivesALostCircuitAndAReloadAndIsGoneAfterASuccessfulAssignment() => site.WithLogsAsync(async () =>
    {
        var (ward, headsets) = await site.NewWardAsync(1);
        await site.CleanAsync(headsets[0]);
        var scheduler = await site.TabletPageAsync("scheduler");
        var cut = false;
        var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        await scheduler.RouteWebSocketAsync(new Regex("/_blazor"), async ws =>
        {
            if (cut) { await ws.CloseAsync(); return; }
            lock (sockets) sockets.Add((ws, ws.ConnectToServer()));
        });
        await scheduler.RouteAsync(new Regex("/_blazor/negotiate"), r => cut ? r.AbortAsync() : r.ContinueAsync());

        await scheduler.GotoAsync($"/assign?ward={ward}");
        await Expect(scheduler.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        var patient = scheduler.GetByLabel("Patient reference");
        await patient.FillAsync("MRN-4471");
        await scheduler.GetByLabel("contact", new() { Exact = true }).CheckAsync();

        cut = true;
        foreach (var (page, server) in sockets.ToList())
        {
            await server.CloseAsync();
            await page.CloseAsync();
        }
        await Expect(scheduler.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        await patient.FocusAsync();
        await scheduler.Keyboard.TypeAsync("-B"); // typed while the server cannot hear it

        // The circuit is gone for good (say the server restarted): the page comes back as a new one, from the address.
        cut = false;
        await scheduler.ReloadAsync();
        await Expect(scheduler.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(scheduler.GetByLabel("Patient reference")).ToHaveValueAsync("MRN-4471-B");
        await Expect(scheduler.GetByLabel("contact", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(scheduler.GetByLabel("droplet", new() { Exact = true })).Not.ToBeCheckedAsync();

        // What was restored is what is sent; after the assignment the draft is gone, on this page and after a reload.
        await scheduler.GetByRole(AriaRole.Button, new() { Name = $"Assign {headsets[0]}" }).ClickAsync();
        await Expect(FleetSite.Confirmation(scheduler)).ToContainTextAsync($"{headsets[0]} is assigned to MRN-4471-B");
        var session = (await site.GetAsync<List<SessionView>>("scheduler", "/api/v1/sessions?open=true")).Single(s => s.HeadsetId == headsets[0]);
        session.PatientRef.ShouldBe("MRN-4471-B");
        session.Precautions.ShouldBe(["contact"]);
        await Expect(scheduler.GetByLabel("Patient reference")).ToHaveValueAsync("");
        (await scheduler.EvaluateAsync<string?>("sessionStorage.getItem('fleet-draft:assign')")).ShouldBeNull();
        await scheduler.ReloadAsync();
        await Expect(scheduler.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(scheduler.GetByLabel("Patient reference")).ToHaveValueAsync("");
        await Expect(scheduler.GetByLabel("contact", new() { Exact = true })).Not.ToBeCheckedAsync();
    });

    [Fact]
    public Task NotesTypedOnTheCleaningPageAreBackAfterAReloadAndEachFormsDraftGoesOnlyWhenThatFormIsSent() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var headset = headsets[0];
        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/cleaning/{headset}");
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await nurse.GetByLabel("What is damaged?").FillAsync("Strap buckle snapped.");
        await nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)").FillAsync("6");
        await nurse.Locator("#comfort-note").FillAsync("Dizzy after ten minutes.");

        await nurse.ReloadAsync();
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(nurse.GetByLabel("What is damaged?")).ToHaveValueAsync("Strap buckle snapped.");
        await Expect(nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)")).ToHaveValueAsync("6");
        await Expect(nurse.Locator("#comfort-note")).ToHaveValueAsync("Dizzy after ten minutes.");

        await nurse.GetByRole(AriaRole.Button, new() { Name = "Report discomfort" }).ClickAsync();
        await Expect(FleetSite.Confirmation(nurse)).ToContainTextAsync("Discomfort report saved.");
        await nurse.ReloadAsync();
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(nurse.GetByLabel("What is damaged?")).ToHaveValueAsync("Strap buckle snapped."); // not sent yet: kept
        await Expect(nurse.Locator("#comfort-note")).ToHaveValueAsync("");
        await Expect(nurse.GetByLabel("Motion sickness (FMS, 0 none to 20 severe)")).ToHaveValueAsync("");
    });
}
