using System.Text.RegularExpressions;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Admin;

/// <summary>Acceptance 6: the administration screens, each with a create, an edit and a refused input, on a 768 px tablet.</summary>
[Collection(SiteCollection.Name)]
public sealed class AdminScreensTests(FleetSite site)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public Task AnAdminAddsAWardRenamesItAndIsToldNextToTheFieldWhenTheNameIsMissing() => site.WithLogsAsync(async () =>
    {
        var id = Unique("ward");
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync("/admin/wards");

        await admin.GetByLabel("Short id").FillAsync(id);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add ward" }).ClickAsync();
        await Expect(admin.Locator("#ward-name-error")).ToHaveTextAsync(new Regex("The name is required"));
        await Expect(admin.GetByLabel("Short id")).ToHaveValueAsync(id); // what was typed stays

        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Day surgery");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add ward" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync("Ward Day surgery added.");
        await Expect(admin.GetByLabel("Short id")).ToHaveValueAsync(""); // cleared after the save

        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit Day surgery" }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Day surgery unit");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator($"tr[data-ward='{id}']")).ToContainTextAsync("Day surgery unit");
        (await site.GetAsync<List<WardView>>("admin", "/api/v1/wards")).ShouldContain(w => w.Id == id && w.Name == "Day surgery unit");
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(admin);
    });

    [Fact]
    public Task AnAdminSetsAWardsTimeZoneAndAZoneTheApiDoesNotKnowIsRefusedNextToTheField() => site.WithLogsAsync(async () =>
    {
        var (ward, _) = await site.NewWardAsync(0);
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync($"/admin/wards?edit={ward}");
        var zone = admin.GetByLabel("Time zone");
        await Expect(zone).ToHaveValueAsync("UTC"); // the API's default for a ward created without one

        await zone.FillAsync("Mars/Olympus_Mons");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#ward-zone-error")).ToContainTextAsync("The time zone is not a time zone this server knows");
        await Expect(admin.GetByLabel("Time zone")).ToHaveValueAsync("Mars/Olympus_Mons"); // what was typed stays
        (await site.GetAsync<List<WardView>>("admin", "/api/v1/wards")).Single(w => w.Id == ward).TimeZone.ShouldBe("UTC");

        await admin.GetByLabel("Time zone").FillAsync("Europe/London");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync("Its times are read in Europe/London.");
        await Expect(admin.Locator($"tr[data-ward='{ward}']")).ToContainTextAsync("Europe/London");
        (await site.GetAsync<List<WardView>>("admin", "/api/v1/wards")).Single(w => w.Id == ward).TimeZone.ShouldBe("Europe/London");
    });

    [Fact]
    public Task AnAdminGivesAPersonADisplayNameWhenCreatingThemChangesItAndATooLongOneIsRefusedNextToTheField() => site.WithLogsAsync(async () =>
    {
        var name = Unique("therapist");
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync("/admin/users");
        await admin.GetByLabel("User name").FillAsync(name);
        await admin.GetByLabel("Display name").FillAsync("Robin Shah");
        await admin.GetByLabel("Password (at least 10 characters)").FillAsync("ward-round-2026");
        await admin.GetByLabel("nurse", new() { Exact = true }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{name} can sign in now");
        await Expect(admin.Locator($"tr[data-user='{name}']")).ToContainTextAsync("Robin Shah");
        (await site.GetAsync<List<PersonView>>("admin", "/api/v1/people")).Single(p => p.Username == name).DisplayName.ShouldBe("Robin Shah");

        await admin.GetByRole(AriaRole.Link, new() { Name = $"Edit {name}" }).ClickAsync();
        var field = admin.GetByLabel("Display name");
        await Expect(field).ToHaveValueAsync("Robin Shah");
        await field.FillAsync(new string('R', 101));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save display name" }).ClickAsync();
        await Expect(admin.Locator("#user-display-name-error")).ToContainTextAsync("The display name must be at most 100 characters.");
        await Expect(admin.GetByLabel("Display name")).ToHaveValueAsync(new string('R', 101));

        await admin.GetByLabel("Display name").FillAsync("Robin Shah-Okafor");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save display name" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{name} is shown as Robin Shah-Okafor.");
        (await site.GetAsync<List<UserView>>("admin", "/api/v1/users")).Single(u => u.Username == name).DisplayName.ShouldBe("Robin Shah-Okafor");
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(admin);
    });

    [Fact]
    public Task AnAdminAddsAModelWithItsMethodsEditsItAndAModelWithoutMethodsIsRefused() => site.WithLogsAsync(async () =>
    {
        var id = Unique("model");
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync("/admin/models");
        await admin.GetByLabel("Short id").FillAsync(id);
        await admin.GetByLabel("Manufacturer").FillAsync("Acme");
        await admin.GetByLabel("Model name").FillAsync(id);
        await admin.GetByLabel("Battery runtime (minutes)").FillAsync("140");
        await admin.GetByLabel("Battery rated for (charge cycles)").FillAsync("600");
        await admin.GetByLabel("Service life (years)").FillAsync("3");
        await admin.GetByLabel("Facial interface rated for (cleanings)").FillAsync("100");
        await admin.GetByLabel("Housing rated for (cleanings)").FillAsync("2000");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
        await Expect(admin.Locator("#model-methods-error")).ToContainTextAsync("needs at least one cleaning method");
        await Expect(admin.GetByLabel("Battery runtime (minutes)")).ToHaveValueAsync("140");

        await admin.GetByLabel("quaternary ammonium").CheckAsync();
        await admin.GetByLabel("uvc").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"Model Acme {id} added.");

        await admin.GetByRole(AriaRole.Link, new() { Name = $"Edit Acme {id}" }).ClickAsync();
        await Expect(admin.GetByLabel("uvc")).ToBeCheckedAsync();
        await admin.GetByLabel("Battery runtime (minutes)").FillAsync("155");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator($"tr[data-model='{id}']")).ToContainTextAsync("155 min");
        var model = (await site.GetAsync<List<ModelView>>("admin", "/api/v1/models")).Single(m => m.Id == id);
        model.BatteryRuntimeMinutes.ShouldBe(155);
        model.AllowedMethods.ShouldBe([Methods.QuaternaryAmmonium, Methods.Uvc], ignoreOrder: true);
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(admin);
    });

    [Fact]
    public Task InfectionControlKeepsTheProductCatalogueAndAZeroContactTimeIsRefused() => site.WithLogsAsync(async () =>
    {
        var id = Unique("wipe");
        var infection = await site.TabletPageAsync("infection");
        await infection.GotoAsync("/admin");
        // Infection control sees only the catalogue among the administration screens.
        await Expect(infection.Locator(".admin-links a")).ToHaveTextAsync(["Disinfectant products"]);
        await infection.GetByRole(AriaRole.Link, new() { Name = "Disinfectant products" }).ClickAsync();

        await infection.GetByLabel("Short id").FillAsync(id);
        await infection.GetByLabel("Name", new() { Exact = true }).FillAsync("Chlorine dioxide wipe");
        await infection.GetByLabel("Method").SelectOptionAsync(Methods.Hypochlorite);
        await infection.GetByLabel("Contact time (seconds)").FillAsync("0");
        await infection.GetByRole(AriaRole.Button, new() { Name = "Add product" }).ClickAsync();
        await Expect(infection.Locator("#product-contact-error")).ToContainTextAsync("The contact time must be between 1 and 3600");

        await infection.GetByLabel("Contact time (seconds)").FillAsync("300");
        await infection.GetByRole(AriaRole.Button, new() { Name = "Add product" }).ClickAsync();
        await Expect(FleetSite.Confirmation(infection)).ToContainTextAsync("Product Chlorine dioxide wipe added.");

        await infection.GetByRole(AriaRole.Link, new() { Name = "Edit Chlorine dioxide wipe" }).ClickAsync();
        await infection.GetByLabel("In use (offered at the cleaning station)").UncheckAsync();
        await infection.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(infection.Locator($"tr[data-product='{id}']")).ToContainTextAsync("No, withdrawn");
        var product = (await site.GetAsync<List<ProductView>>("infection", "/api/v1/products")).Single(p => p.Id == id);
        product.Active.ShouldBeFalse();
        product.ContactSeconds.ShouldBe(300);
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(infection);
    });

    [Fact]
    public Task AnAdminRegistersAHeadsetMovesItToAnotherWardAndAHeadsetWithoutAModelIsRefused() => site.WithLogsAsync(async () =>
    {
        var (ward, _) = await site.NewWardAsync(0);
        var serial = Unique("SN");
        var tag = Unique("VR");
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync("/admin/headsets");
        await admin.GetByLabel("Serial number").FillAsync(serial);
        await admin.GetByLabel("Asset tag").FillAsync(tag);
        await admin.GetByLabel("Ward").SelectOptionAsync(ward);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register headset" }).ClickAsync();
        await Expect(admin.Locator("#headset-model-error")).ToContainTextAsync("The model is required.");
        await Expect(admin.GetByLabel("Serial number")).ToHaveValueAsync(serial);

        await admin.GetByLabel("Model").SelectOptionAsync("quest-3");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register headset" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync("It is Dirty until its first cleaning.");
        var registered = (await site.GetAsync<List<HeadsetSummary>>("admin", "/api/v1/headsets")).Single(h => h.Serial == serial);
        registered.WardId.ShouldBe(ward);

        await admin.GetByRole(AriaRole.Link, new() { Name = $"Edit {registered.Id}", Exact = true }).ClickAsync();
        await admin.GetByLabel("Ward").SelectOptionAsync("burns");
        await Expect(admin.GetByLabel("Ward")).ToHaveValueAsync("burns");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{registered.Id} saved.");
        var updated = (await site.GetAsync<List<AuditEntryView>>("admin", $"/api/v1/audit?action=headset.updated&entityId={registered.Id}")).ShouldHaveSingleItem();
        updated.Data!.ShouldContain("\"wardId\":\"burns\"", Case.Sensitive, updated.Data);
        await Expect(admin.Locator($"tr[data-headset='{registered.Id}']")).ToContainTextAsync("Burns unit");
        (await site.GetAsync<HeadsetDetail>("admin", $"/api/v1/headsets/{registered.Id}")).Summary.WardId.ShouldBe("burns");
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(admin);
    });

    [Fact]
    public Task AnAdminCreatesAUserChangesTheirRolesResetsTheirPasswordAndDeactivatesThemAfterConfirming() => site.WithLogsAsync(async () =>
    {
        var name = Unique("nurse");
        var admin = await site.TabletPageAsync("admin");
        await admin.GotoAsync("/admin/users");
        await admin.GetByLabel("User name").FillAsync(name);
        await admin.GetByLabel("Password (at least 10 characters)").FillAsync("short");
        await admin.GetByLabel("nurse", new() { Exact = true }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(admin.Locator("#user-password-error")).ToContainTextAsync("The password must be at least 10 characters.");
        await Expect(admin.GetByLabel("nurse", new() { Exact = true })).ToBeCheckedAsync();

        await admin.GetByLabel("Password (at least 10 characters)").FillAsync("ward-round-2026");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{name} can sign in now, with the roles nurse.");

        await admin.GetByRole(AriaRole.Link, new() { Name = $"Edit {name}" }).ClickAsync();
        await admin.GetByLabel("scheduler", new() { Exact = true }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save roles" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{name} now has the roles nurse, scheduler.");

        await admin.GetByLabel("New password (at least 10 characters)").FillAsync("another-password-1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"The password of {name} is reset");

        await admin.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}…" }).ClickAsync();
        var confirm = admin.GetByRole(AriaRole.Alertdialog, new() { Name = $"Deactivate {name}?" });
        await Expect(confirm).ToContainTextAsync("cannot sign in until an administrator reactivates the account");
        (await site.GetAsync<List<UserView>>("admin", "/api/v1/users")).Single(u => u.Username == name).Active.ShouldBeTrue(); // asked, not done
        await confirm.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}" }).ClickAsync();
        await Expect(FleetSite.Confirmation(admin)).ToContainTextAsync($"{name} is deactivated.");
        await Expect(admin.Locator($"tr[data-user='{name}']")).ToContainTextAsync("Deactivated");
        var user = (await site.GetAsync<List<UserView>>("admin", "/api/v1/users")).Single(u => u.Username == name);
        user.Active.ShouldBeFalse();
        user.Roles.ShouldBe(["nurse", "scheduler"], ignoreOrder: true);
        await NoSidewaysScrollingAndBigEnoughTargetsAsync(admin);
    });

    [Fact]
    public Task ANurseGetsAPlainNotAllowedPageAndNoAdministrationLink() => site.WithLogsAsync(async () =>
    {
        var nurse = await site.SignedInPageAsync("nurse");
        await Expect(nurse.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Administration" })).ToHaveCountAsync(0);
        var response = await nurse.GotoAsync("/admin/users");
        response!.Status.ShouldBe(403);
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Expect(nurse.GetByRole(AriaRole.Button, new() { Name = "Create user" })).ToHaveCountAsync(0);

        var biomed = await site.SignedInPageAsync("biomed");
        await biomed.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await Expect(biomed.Locator(".admin-links a")).ToHaveTextAsync(["Headsets"]);
        (await biomed.GotoAsync("/admin/products"))!.Status.ShouldBe(403);
    });

    /// <summary>At 768 px nothing scrolls sideways, and every button, field and checkbox is at least 44 px tall.</summary>
    private static async Task NoSidewaysScrollingAndBigEnoughTargetsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1]);
        var small = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main button, main input:not([type=hidden]), main select, main a.button')]" +
            ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))");
        small.ShouldBeEmpty();
    }
}
