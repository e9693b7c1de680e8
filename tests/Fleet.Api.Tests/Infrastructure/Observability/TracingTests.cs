using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Observability;

/// <summary>The spans OpenTelemetry exports, caught in the test process with an ActivityListener on the same sources.</summary>
[Collection(ObservabilityCollection.Name)]
public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Fleet.Api" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ARequestThatChangesSomethingIsTracedFromTheRequestToTheDatabaseCommit()
    {
        using var app = new FleetApp();
        var nurse = await app.ClientAs("nurse");
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/headsets/HS-0001/flags")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new RaiseFlagRequest("damage", "Strap torn.")),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var answer = await nurse.SendAsync(request);
        answer.IsSuccessStatusCode.ShouldBeTrue(await answer.Content.ReadAsStringAsync());

        // The server stops the request's span after the answer has left, so the client can read it a moment before.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_spans.Any(s => s.TraceId == trace && s.Source.Name == "Microsoft.AspNetCore") && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var ours = _spans.Where(s => s.TraceId == trace).ToList();
        var http = ours.Where(s => s.Source.Name == "Microsoft.AspNetCore").ShouldHaveSingleItem();
        var commit = ours.Where(s => s.OperationName == "db.commit").ShouldHaveSingleItem();
        commit.ParentSpanId.ShouldBe(http.SpanId, "the commit is a step of the request");
        commit.Duration.ShouldBeLessThanOrEqualTo(http.Duration);
    }

    [Fact]
    public async Task AnMqttBatchIsTracedFromItsProcessingToTheDatabaseCommit()
    {
        await using var b = await BrokerApp.StartAsync();
        var e = await b.EnrollAsync("HS-0001");
        using var agent = await b.ConnectAsHeadsetAsync(e);
        await b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 81, charging = false });
        await b.WaitForStatsAsync(s => s.Stored == 1, "the event");

        // Other tests run beside this one with apps of their own: look for a batch and its commit, not for a count.
        var batches = _spans.Where(s => s.OperationName == "ingest.batch").ToList();
        batches.ShouldNotBeEmpty();
        batches.ShouldContain(batch => _spans.Any(c => c.OperationName == "db.commit" && c.ParentSpanId == batch.SpanId && c.TraceId == batch.TraceId));
    }
}
