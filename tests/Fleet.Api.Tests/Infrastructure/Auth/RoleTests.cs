using System.Net;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auth;

public sealed class RoleTests(RoleTests.SharedApp shared) : IClassFixture<RoleTests.SharedApp>
{
    public sealed class SharedApp : FleetApp;

    [Fact]
    public void EveryApiEndpointNamesARolePolicyExceptSignIn()
    {
        var endpoints = shared.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true).ToList();
        endpoints.Count.ShouldBeGreaterThan(30);
        foreach (var e in endpoints)
        {
            var route = e.RoutePattern.RawText!;
            if (route == "/api/v1/auth/token")
            {
                e.Metadata.GetMetadata<IAllowAnonymous>().ShouldNotBeNull();
                continue;
            }
            e.Metadata.GetMetadata<IAllowAnonymous>().ShouldBeNull(route);
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            policies.ShouldNotBeEmpty($"{route} has no role policy");
            policies.ShouldAllBe(p => p != null && Policies.RolesFor.ContainsKey(p), route);
        }
    }

    [Fact]
    public async Task WithoutATokenTheApiAnswers401()
    {
        var anonymous = shared.CreateClient();
        await (await anonymous.GetAsync("/api/v1/headsets")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await anonymous.Post("/api/v1/sessions", new { })).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    /// <summary>The role table of api.md, row by row. "allowed" means anything but 401/403.</summary>
    [Theory]
    [InlineData("GET", "/api/v1/headsets", "nurse", true)]
    [InlineData("GET", "/api/v1/cleaning-queue", "infection", true)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/dirty", "nurse", true)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/dirty", "biomed", true)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/dirty", "scheduler", false)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/dirty", "infection", false)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/cleanings", "scheduler", false)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/comfort-reports", "scheduler", false)]
    [InlineData("POST", "/api/v1/sessions", "scheduler", true)]
    [InlineData("POST", "/api/v1/sessions", "nurse", true)]
    [InlineData("POST", "/api/v1/sessions", "biomed", false)]
    [InlineData("POST", "/api/v1/sessions", "infection", false)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/flags", "infection", true)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/flags", "scheduler", true)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/retire", "nurse", false)]
    [InlineData("POST", "/api/v1/headsets/HS-0003/retire", "scheduler", false)]
    [InlineData("POST", "/api/v1/headsets", "nurse", false)]
    [InlineData("GET", "/api/v1/audit", "biomed", true)]
    [InlineData("GET", "/api/v1/audit", "infection", true)]
    [InlineData("GET", "/api/v1/audit", "nurse", false)]
    [InlineData("PUT", "/api/v1/wards/burns/policy", "infection", true)]
    [InlineData("PUT", "/api/v1/wards/burns/policy", "biomed", false)]
    [InlineData("POST", "/api/v1/products", "infection", true)]
    [InlineData("POST", "/api/v1/products", "nurse", false)]
    [InlineData("POST", "/api/v1/models", "infection", false)]
    [InlineData("POST", "/api/v1/models", "admin", true)]
    [InlineData("POST", "/api/v1/wards", "biomed", false)]
    [InlineData("GET", "/api/v1/users", "biomed", false)]
    [InlineData("GET", "/api/v1/users", "admin", true)]
    public async Task TheRoleTableIsEnforced(string method, string url, string user, bool allowed)
    {
        var client = await shared.ClientAs(user);
        var response = method switch
        {
            "GET" => await client.GetAsync(url),
            "PUT" => await client.Put(url, new { }),
            _ => await client.Post(url, new { }),
        };
        if (allowed) ((int)response.StatusCode).ShouldNotBeOneOf(401, 403);
        else await response.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }
}
