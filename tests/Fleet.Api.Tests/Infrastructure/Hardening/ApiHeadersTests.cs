using System.Net;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Hardening;

public sealed class ApiHeadersTests(ApiHeadersTests.SharedApp app) : IClassFixture<ApiHeadersTests.SharedApp>
{
    public sealed class SharedApp : FleetApp;

    [Theory]
    [InlineData("/api/v1/headsets")]
    [InlineData("/api/v1/headsets/HS-0001")]
    [InlineData("/api/v1/headsets/HS-9999")]
    [InlineData("/api/v1/audit?limit=5")]
    public async Task AuthenticatedAnswersAreNotSniffedOrStored(string url)
    {
        var admin = await app.ClientAs("admin");
        var r = await admin.GetAsync(url);
        r.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task AnonymousAnswersAreNotSniffedEither()
    {
        var r = await app.CreateClient().GetAsync("/health/live");
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        var refused = await app.CreateClient().GetAsync("/api/v1/headsets");
        refused.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task TheTokenAnswerIsNotStored()
    {
        var r = await app.CreateClient().Post("/api/v1/auth/token", new { username = "nurse", password = "fleet" });
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }
}
