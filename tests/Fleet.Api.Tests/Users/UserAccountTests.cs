using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Users;

/// <summary>Accounts an admin creates through the API.</summary>
public sealed class UserAccountTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task UsersCreatedByAnAdminNeedAStrongPasswordAndAKnownRole()
    {
        var admin = await _app.ClientAs("admin");
        var weak = await admin.Post("/api/v1/users", new CreateUserRequest("nurse2", "short", ["nurse"]));
        (await weak.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
        var badRole = await admin.Post("/api/v1/users", new CreateUserRequest("nurse2", "a-long-enough-password", ["superuser"]));
        (await badRole.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("roles", out _).ShouldBeTrue();
        await (await admin.Post("/api/v1/users", new CreateUserRequest("nurse2", "a-long-enough-password", ["nurse"]))).ShouldBe(HttpStatusCode.Created);
        await (await _app.CreateClient().Post("/api/v1/auth/token", new TokenRequest("nurse2", "a-long-enough-password"))).ShouldBe(HttpStatusCode.OK);
    }
}
