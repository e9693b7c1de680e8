using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Seeding;

public sealed class ProductionStartTests
{
    [Fact]
    public void ProductionRefusesToStartWithoutAnAdministrator()
    {
        using var app = new FleetApp(environment: "Production");
        var e = Should.Throw<InvalidOperationException>(() => app.CreateClient());
        e.Message.ShouldContain("no administrator");
    }

    [Fact]
    public void ProductionRefusesTheDevelopmentPasswordForTheBootstrapAdministrator()
    {
        using var app = new FleetApp(environment: "Production")
            .WithSetting("Fleet:Bootstrap:AdminUser", "root").WithSetting("Fleet:Bootstrap:AdminPassword", "fleet");
        Should.Throw<InvalidOperationException>(() => app.CreateClient()).Message.ShouldContain("password");
    }

    [Fact]
    public async Task ProductionSeedsOnlyTheConfiguredAdministratorAndNoDemoData()
    {
        using var app = new FleetApp(environment: "Production")
            .WithSetting("Fleet:Bootstrap:AdminUser", "root").WithSetting("Fleet:Bootstrap:AdminPassword", "correct-horse-battery-staple");
        var client = app.CreateClient();
        await (await client.Post("/api/v1/auth/token", new TokenRequest("nurse", "fleet"))).ShouldBe(HttpStatusCode.Unauthorized);
        var login = await client.Post("/api/v1/auth/token", new TokenRequest("root", "correct-horse-battery-staple"));
        await login.ShouldBe(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Read<TokenResponse>()).AccessToken);
        (await client.Get<List<UserView>>("/api/v1/users")).Select(u => u.Username).ShouldBe(["root"]);
        (await client.Get<List<HeadsetSummary>>("/api/v1/headsets")).ShouldBeEmpty();
        (await client.Get<List<WardView>>("/api/v1/wards")).ShouldBeEmpty();
    }
}
