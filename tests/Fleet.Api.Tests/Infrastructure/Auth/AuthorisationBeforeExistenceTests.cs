using System.Net;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auth;

/// <summary>A role that may not do something learns nothing about which ids exist: 403 for a real id, an unknown one and a malformed one.</summary>
public sealed class AuthorisationBeforeExistenceTests(AuthorisationBeforeExistenceTests.SharedApp app) : IClassFixture<AuthorisationBeforeExistenceTests.SharedApp>
{
    public sealed class SharedApp : FleetApp;

    [Theory]
    [InlineData("/api/v1/cleanings/{0}/complete", "scheduler")]
    [InlineData("/api/v1/cleanings/{0}/complete", "infection")]
    [InlineData("/api/v1/sessions/{0}/end", "biomed")]
    [InlineData("/api/v1/sessions/{0}/end", "infection")]
    [InlineData("/api/v1/flags/{0}/clear", "nurse")]
    [InlineData("/api/v1/flags/{0}/clear", "infection")]
    [InlineData("/api/v1/tasks/{0}/complete", "scheduler")]
    [InlineData("/api/v1/headsets/{0}/retire", "nurse")]
    public async Task ARoleThatMayNotActGets403WhetherOrNotTheIdExists(string template, string user)
    {
        var client = await app.ClientAs(user);
        foreach (var id in new[] { "0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d", "not-an-id", "HS-0001" })
            await (await client.Post(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id), new { note = "n" }))
                .ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("/api/v1/cleanings/not-an-id/complete", "nurse")]
    [InlineData("/api/v1/sessions/not-an-id/end", "scheduler")]
    [InlineData("/api/v1/flags/not-an-id/clear", "biomed")]
    public async Task ARoleThatMayActGets404ForAnIdThatCannotExist(string url, string user)
    {
        var client = await app.ClientAs(user);
        await (await client.Post(url, new { note = "n" })).ShouldBeProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("nurse", false)]
    [InlineData("scheduler", false)]
    [InlineData("biomed", false)]
    [InlineData("infection", true)]
    [InlineData("admin", true)]
    public async Task TheWardPolicyIsReadOnlyByTheRolesThatOwnIt(string user, bool allowed)
    {
        var client = await app.ClientAs(user);
        foreach (var ward in new[] { "paediatrics", "nowhere" })
        {
            var r = await client.GetAsync($"/api/v1/wards/{ward}/policy");
            if (!allowed) await r.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
            else r.StatusCode.ShouldBe(ward == "nowhere" ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        }
    }
}
