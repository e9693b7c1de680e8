using System.Net;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Users;

/// <summary>GET /api/v1/people: who a user name is, for every signed-in role, without anything secret.</summary>
public sealed class PeopleTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EverySignedInRoleReadsNamesAndRolesButNoPasswordData()
    {
        foreach (var user in new[] { "nurse", "scheduler", "biomed", "infection", "admin" })
        {
            var client = await _app.ClientAs(user);
            var people = await client.Get<List<PersonView>>("/api/v1/people");
            var nurse = people.Single(p => p.Username == "nurse");
            (nurse.DisplayName, nurse.Active, string.Join(",", nurse.Roles)).ShouldBe(("Alex Kim", true, "nurse"), user);
        }
        var raw = await (await _app.ClientAs("nurse")).GetStringAsync("/api/v1/people");
        using var json = JsonDocument.Parse(raw);
        json.RootElement[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["active", "displayName", "roles", "username"]);
        raw.ShouldNotContain("AQAAAA"); // the PBKDF2 hash prefix
    }

    [Fact]
    public async Task PeopleNeedASignIn()
    {
        await (await _app.CreateClient().GetAsync("/api/v1/people")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnAdminSetsAndClearsADisplayNameAndTheChangeIsAudited()
    {
        var admin = await _app.ClientAs("admin");
        var created = await (await admin.Post("/api/v1/users", new CreateUserRequest("nurse2", "a-long-enough-password", ["nurse"], "Chris Doe"))).Read<UserView>();
        created.DisplayName.ShouldBe("Chris Doe");

        (await (await admin.Put("/api/v1/users/nurse2", new UpdateUserRequest(null, null, null))).Read<UserView>()).DisplayName.ShouldBe("Chris Doe");
        (await (await admin.Put("/api/v1/users/nurse2", new UpdateUserRequest(null, null, null, ""))).Read<UserView>()).DisplayName.ShouldBeNull();
        var tooLong = await admin.Put("/api/v1/users/nurse2", new UpdateUserRequest(null, null, null, new string('x', 101)));
        (await tooLong.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("displayName", out _).ShouldBeTrue();

        var audit = await admin.Get<List<AuditEntryView>>("/api/v1/audit?entityId=nurse2");
        audit.Select(a => a.Action).ShouldBe(["user.updated", "user.updated", "user.created"]);
        audit[0].Data!.ShouldContain("\"displayName\":\"\""); // removed
        audit[2].Data!.ShouldContain("Chris Doe");
    }
}
