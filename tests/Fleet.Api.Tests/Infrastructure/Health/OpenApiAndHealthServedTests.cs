using System.Net;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Health;

/// <summary>The OpenAPI document and the health endpoints are served through HTTP.</summary>
public sealed class OpenApiAndHealthServedTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheOpenApiDocumentAndHealthEndpointsAreServed()
    {
        var client = _app.CreateClient();
        var doc = await client.GetFromJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        paths.TryGetProperty("/api/v1/sessions", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/headsets/{id}/readiness", out _).ShouldBeTrue();
        await (await client.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        await ready.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldContain("database");
    }
}

internal static class JsonHttp
{
    public static async Task<JsonElement> GetFromJsonAsync(this HttpClient c, string url) =>
        JsonDocument.Parse(await c.GetStringAsync(url)).RootElement;
}
