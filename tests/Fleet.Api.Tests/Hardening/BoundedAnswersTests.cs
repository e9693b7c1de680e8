using System.Net;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Fleet.Api.Tests.Infrastructure;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Hardening;

public sealed class BoundedAnswersTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheTelemetrySeriesComesInPagesThatTogetherHoldEveryPointOnce()
    {
        await _app.ClientAs("nurse");
        var start = _app.Time.GetUtcNow().AddHours(-2);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
            db.AddRange(Enumerable.Range(0, 2_500).Select(i => new TelemetrySample
            {
                EventId = Guid.NewGuid(), HeadsetId = "HS-0001", Kind = TelemetrySample.Battery, At = start.AddSeconds(2 * i), BatteryPercent = i % 100,
            }));
            await db.SaveChangesAsync();
        }

        var nurse = await _app.ClientAs("nurse");
        var url = $"/api/v1/headsets/HS-0001/telemetry?kind=battery&from={Uri.EscapeDataString(start.ToString("O"))}";
        var seen = new List<DateTimeOffset>();
        var pages = 0;
        while (url is not null)
        {
            var r = await nurse.GetAsync(url);
            r.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await r.Read<List<TelemetryPoint>>();
            page.Count.ShouldBeLessThanOrEqualTo(1_000);
            seen.AddRange(page.Select(x => x.At));
            pages++;
            url = r.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            pages.ShouldBeLessThan(10);
        }
        pages.ShouldBe(3);
        seen.Count.ShouldBe(2_500);
        seen.ShouldBeInOrder();
        seen.Distinct().Count().ShouldBe(2_500);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5001")]
    public async Task APageLargerThanTheLimitIsRefused(string limit)
    {
        var nurse = await _app.ClientAs("nurse");
        var problem = await (await nurse.GetAsync($"/api/v1/headsets/HS-0001/telemetry?limit={limit}")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").TryGetProperty("limit", out _).ShouldBeTrue();
    }
}
