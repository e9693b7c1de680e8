using Fleet.Testing.Identity;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;

namespace Fleet.Web.Tests.Session;

/// <summary>The API and the web app configured for a hospital identity provider (a small local one, run by the test).</summary>
public sealed class HospitalSite : FleetSite
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.StartAsync();
        await base.InitializeAsync();
    }

    private Dictionary<string, string> Common => new()
    {
        ["Fleet__Auth__Oidc__Authority"] = Provider.Issuer,
        ["Fleet__Auth__Oidc__RequireHttpsMetadata"] = "false",
    };

    protected override IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>(Common)
    {
        ["Fleet__Auth__Oidc__Audience"] = Provider.ApiAudience,
        ["Fleet__Auth__Oidc__RoleMap__VR-Nurses"] = "nurse",
    };

    protected override IReadOnlyDictionary<string, string> WebSettings => new Dictionary<string, string>(Common)
    {
        ["Fleet__Auth__Oidc__ClientId"] = "fleet-web",
        ["Fleet__Auth__Oidc__DisplayName"] = "St Example staff account",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class HospitalSignInTests(HospitalSite site) : IClassFixture<HospitalSite>
{
    [Fact]
    public Task ANurseSignsInWithTheHospitalAccountThroughCodeFlowWithPkceAndLandsOnTheCleaningQueue() => site.WithLogsAsync(async () =>
    {
        site.Provider.NextUser = ("carol", ["VR-Nurses"]);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/signin");

        // Five hops (Fleet, provider, callback, landing page, start page): on a loaded machine give them a minute.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with St Example staff account" }).ClickAsync(new() { Timeout = 60_000 });
        await page.WaitForURLAsync("**/cleaning", new() { Timeout = 60_000 });

        await Assertions.Expect(page.GetByText("Signed in as oidc:carol")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Cleaning");
        site.Provider.ChallengeMethods.ShouldContain("S256");
    });

    [Fact]
    public Task AHospitalAccountWithoutAFleetRoleIsToldSoAndNotSignedIn() => site.WithLogsAsync(async () =>
    {
        site.Provider.NextUser = ("dave", ["Hospital-Staff"]);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/signin");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with St Example staff account" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no role in Fleet");
        await Assertions.Expect(page.GetByText("Signed in as")).ToHaveCountAsync(0);
        await page.GotoAsync("/cleaning");
        page.Url.ShouldContain("/signin");
    });
}
