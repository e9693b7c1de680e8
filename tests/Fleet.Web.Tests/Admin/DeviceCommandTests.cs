using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Admin;

/// <summary>Acceptance 6: device commands on the headset page, with a confirmation before a headset is locked.</summary>
[Collection(SiteCollection.Name)]
public sealed class DeviceCommandTests(FleetSite site)
{
    [Fact]
    public Task LockingAHeadsetAsksFirstAndTheCommandIsListedWithWhatBecameOfIt() => site.WithLogsAsync(async () =>
    {
        var (_, headsets) = await site.NewWardAsync(1);
        var id = headsets[0];
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync($"/headsets/{id}");
        var commands = admin.GetByRole(AriaRole.Region, new() { Name = "Device commands" });
        var lockButton = commands.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true });
        await Expect(lockButton).ToBeEnabledAsync();

        await lockButton.ClickAsync();
        var confirm = admin.GetByRole(AriaRole.Alertdialog, new() { Name = $"Lock {id}?" });
        await Expect(confirm).ToContainTextAsync("cannot be used by a patient until someone sends Unlock");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        (await site.GetAsync<List<Fleet.Contracts.Api.AuditEntryView>>("admin", $"/api/v1/audit?action=command.issued&entityId={id}")).ShouldBeEmpty();

        await lockButton.ClickAsync();
        await admin.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = $"Lock {id}" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"Lock sent to {id}");
        var row = admin.GetByRole(AriaRole.Table, new() { Name = $"Commands sent to {id}" }).Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Lock");
        await Expect(row).ToContainTextAsync("admin");
        // No broker in this site: the command waits to be sent, and the page says so rather than pretending it worked.
        await Expect(row).ToContainTextAsync("Waiting to be sent");

        // Identify needs no confirmation: it only makes the headset blink and beep.
        await commands.GetByRole(AriaRole.Button, new() { Name = "Identify (blink and beep)" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(2);
    });
}
