using System.Net;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Telemetry;

public sealed class BoundedAnswersTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheTelemetrySeriesComesInPagesThatTogetherHoldEveryPointOnce()
    {
        await _app.ClientAs("nurse");
        var start = _app.Time.GetUtcNow().AddHours(-2);
        InsertBatteryReadings(start, 2_500, TimeSpan.FromSeconds(2), i => i % 100);

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

    [Fact]
    public async Task ALongPeriodIsDownsampledToOnePageOfBucketsThatKeepEveryReading()
    {
        await _app.ClientAs("nurse");
        var start = _app.Time.GetUtcNow().AddDays(-3);
        InsertBatteryReadings(start, 3 * 24 * 60, TimeSpan.FromMinutes(1), i => i % 2 == 0 ? 40 : 60);

        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.GetAsync($"/api/v1/headsets/HS-0001/telemetry?kind=battery&from={Uri.EscapeDataString(start.ToString("O"))}");
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        r.Headers.Contains("Link").ShouldBeFalse();
        var points = await r.Read<List<TelemetryPoint>>();

        // Three days of minutes in five-minute buckets: 864 buckets (865 when the start falls inside one).
        points.Count.ShouldBeInRange(864, 865);
        points.ShouldAllBe(p => p.Aggregated);
        points.Sum(p => p.Samples ?? 0).ShouldBe(3 * 24 * 60);
        points.ShouldAllBe(p => p.At.Ticks % TimeSpan.FromMinutes(5).Ticks == 0);
        var full = points.Where(p => p.Samples == 5).ToList();
        full.ShouldNotBeEmpty();
        full.ShouldAllBe(p => p.BatteryPercentMin == 40 && p.BatteryPercent >= 40 && p.BatteryPercent <= 60);
    }

    [Fact]
    public async Task BucketsMixHourlyAggregatesAndRawReadingsWeightedByTheirReadings()
    {
        await _app.ClientAs("nurse");
        var day = new DateTimeOffset(_app.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-20);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
            db.Add(new TelemetryHourly
            {
                HeadsetId = "HS-0001", Kind = TelemetrySample.Battery, HourStart = day.AddHours(1), Samples = 30,
                BatteryPercentAvg = 80.0, BatteryPercentMin = 70, CycleCountMax = 100,
            });
            await db.SaveChangesAsync();
        }
        InsertBatteryReadings(day.AddHours(2), 10, TimeSpan.FromMinutes(1), _ => 20);

        var nurse = await _app.ClientAs("nurse");
        var points = await (await nurse.GetAsync(
            $"/api/v1/headsets/HS-0001/telemetry?kind=battery&bucket=1d&from={Uri.EscapeDataString(day.ToString("O"))}&to={Uri.EscapeDataString(day.AddDays(1).ToString("O"))}"))
            .Read<List<TelemetryPoint>>();

        var point = points.ShouldHaveSingleItem();
        point.At.ShouldBe(day);
        point.Samples.ShouldBe(40);
        point.BatteryPercent.ShouldBe((30 * 80.0 + 10 * 20) / 40);
        point.BatteryPercentMin.ShouldBe(20);
        point.CycleCount.ShouldBe(100);
    }

    [Fact]
    public async Task BucketedPagesLinkOnAndTogetherHoldEveryReadingOnce()
    {
        await _app.ClientAs("nurse");
        var start = new DateTimeOffset(_app.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-5);
        InsertBatteryReadings(start, 5 * 24 * 6, TimeSpan.FromMinutes(10), i => i % 100);

        var nurse = await _app.ClientAs("nurse");
        var url = $"/api/v1/headsets/HS-0001/telemetry?kind=battery&bucket=1h&limit=50&from={Uri.EscapeDataString(start.ToString("O"))}";
        var buckets = new List<TelemetryPoint>();
        while (url is not null)
        {
            var r = await nurse.GetAsync(url);
            var page = await r.Read<List<TelemetryPoint>>();
            page.Count.ShouldBeLessThanOrEqualTo(50);
            buckets.AddRange(page);
            url = r.Headers.TryGetValues("Link", out var link) ? link.Single().Split('<', '>')[1] : null;
            buckets.Count.ShouldBeLessThan(1_000);
        }
        buckets.Count.ShouldBe(5 * 24);
        buckets.Select(b => b.At).ShouldBeUnique();
        buckets.ShouldAllBe(b => b.Samples == 6);
    }

    [Theory]
    [InlineData("7m")]
    [InlineData("hour")]
    public async Task ABucketSizeNotOnTheListIsRefusedNamingTheSizes(string bucket)
    {
        var nurse = await _app.ClientAs("nurse");
        var problem = await (await nurse.GetAsync($"/api/v1/headsets/HS-0001/telemetry?bucket={bucket}")).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty("bucket")[0].GetString()!.ShouldContain("1h");
    }

    private void InsertBatteryReadings(DateTimeOffset start, int count, TimeSpan every, Func<int, int> percent)
    {
        // Through EF, so the rows are written as either provider writes them.
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        db.AddRange(Enumerable.Range(0, count).Select(i => new TelemetrySample
        {
            EventId = Guid.NewGuid(), HeadsetId = "HS-0001", Kind = TelemetrySample.Battery, At = start + every * i, BatteryPercent = percent(i),
        }));
        db.SaveChanges();
    }
}
