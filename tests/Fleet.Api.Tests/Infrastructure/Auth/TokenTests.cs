using System.Net;
using System.Net.Http.Headers;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auth;

public sealed class TokenTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SignInReturnsATokenWithItsExpiryAndRoles()
    {
        var r = await _app.CreateClient().Post("/api/v1/auth/token", new TokenRequest("biomed", "fleet"));
        await r.ShouldBe(HttpStatusCode.OK);
        var token = await r.Read<TokenResponse>();
        token.Roles.ShouldBe(["biomed"]);
        token.ExpiresAt.ShouldBe(_app.Time.GetUtcNow().AddHours(8));
        token.AccessToken.Length.ShouldBeGreaterThan(40);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong()
    {
        var client = _app.CreateClient();
        var wrong = await client.Post("/api/v1/auth/token", new TokenRequest("biomed", "nope"));
        var unknown = await client.Post("/api/v1/auth/token", new TokenRequest("nobody", "fleet"));
        var a = await wrong.ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var b = await unknown.ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        a.GetProperty("detail").GetString().ShouldBe(b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var nurse = await _app.ClientAs("nurse");
        await (await nurse.GetAsync("/api/v1/headsets")).ShouldBe(HttpStatusCode.OK);
        _app.Time.Advance(TimeSpan.FromHours(8).Add(TimeSpan.FromSeconds(1)));
        await (await nurse.GetAsync("/api/v1/headsets")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ADeactivatedUsersTokenStopsWorking()
    {
        var nurse = await _app.ClientAs("nurse");
        await (await nurse.GetAsync("/api/v1/headsets")).ShouldBe(HttpStatusCode.OK);
        var admin = await _app.ClientAs("admin");
        await (await admin.Put("/api/v1/users/nurse", new UpdateUserRequest(null, null, false))).ShouldBe(HttpStatusCode.OK);
        await (await nurse.GetAsync("/api/v1/headsets")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await _app.CreateClient().Post("/api/v1/auth/token", new TokenRequest("nurse", "fleet"))).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AForgedTokenIsRefused()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8-not-a-real-token");
        await (await client.GetAsync("/api/v1/headsets")).ShouldBe(HttpStatusCode.Unauthorized);
    }
}
