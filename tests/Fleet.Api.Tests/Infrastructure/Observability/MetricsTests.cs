using System.Net;
using System.Net.Http.Json;
using Fleet.Api.Infrastructure.Observability;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Observability;

[Collection(ObservabilityCollection.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task MetricsCountWhatIngestionStoredIgnoredAndDeadLetteredAndWhatTheGateDecided()
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        var first = Guid.NewGuid();
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 81, charging = false }, first);
        await _b.PublishEventAsync(agent, "HS-0001", 2, EventTypes.Battery, new { percent = 80, charging = false });
        await _b.PublishEventAsync(agent, "HS-0001", 3, EventTypes.Battery, new { percent = 79, charging = false });
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 81, charging = false }, first);
        await TestMqttPublish(agent, _b.Topics.Events("HS-0001"), "this is not json");
        await _b.WaitForStatsAsync(s => s.Received == 5, "all five messages to be handled");

        var scheduler = await _b.App.ClientAs("scheduler");
        var assign = await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "MRN-2001", "paediatrics", 30, null));
        var (outcome, reason) = assign.StatusCode == HttpStatusCode.Created
            ? ("assigned", "ready")
            : ("refused", (await assign.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()!);

        var text = await ScrapeAsync();
        PrometheusText.Sum(text, "fleet_ingest_received_total").ShouldBe(5);
        PrometheusText.Sum(text, "fleet_ingest_stored_total").ShouldBe(3);
        PrometheusText.Sum(text, "fleet_ingest_duplicates_total").ShouldBe(1);
        PrometheusText.Sum(text, "fleet_ingest_dead_lettered_total", ("reason", "not_json")).ShouldBe(1);
        PrometheusText.Sum(text, "fleet_ingest_lag_seconds_count").ShouldBe(3);
        PrometheusText.Sum(text, "fleet_ingest_batch_size_sum").ShouldBe(5);
        PrometheusText.Sum(text, "fleet_assignment_decisions_total", ("outcome", outcome), ("reason", reason)).ShouldBe(1);
        PrometheusText.Sum(text, "fleet_assignment_decisions_total").ShouldBe(1);
        PrometheusText.Has(text, "http_server_request_duration_seconds_bucket").ShouldBeTrue("ASP.NET Core's own metrics are exported too");
        PrometheusText.Has(text, "dotnet_gc_collections_total").ShouldBeTrue("runtime metrics are exported too");
    }

    [Fact]
    public async Task EveryWriteIsTimedQueuedForTheLockHoldingItAndCommittingAndSaysWhetherAPersonOrIngestionWrote()
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 81, charging = false });
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the event to be stored");
        var nurse = await _b.App.ClientAs("nurse");
        (await nurse.Post("/api/v1/headsets/HS-0002/cleanings", new StartCleaningRequest("quat-wipe"))).EnsureSuccessStatusCode();

        var text = await ScrapeAsync();
        foreach (var priority in new[] { "person", "background" })
        {
            var committed = PrometheusText.Sum(text, "fleet_writes_commit_duration_seconds_count", ("priority", priority));
            committed.ShouldBeGreaterThanOrEqualTo(1, $"a {priority} write committed");
            PrometheusText.Sum(text, "fleet_writes_lock_wait_seconds_count", ("priority", priority)).ShouldBeGreaterThanOrEqualTo(committed);
            PrometheusText.Sum(text, "fleet_writes_lock_held_seconds_count", ("priority", priority)).ShouldBeGreaterThanOrEqualTo(committed);
        }
    }

    [Fact]
    public async Task TheGaugesCountHeadsetsByHygieneStateAndOnlineAndTheGapsEachHeadsetLeft()
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 81, charging = false });
        await _b.PublishEventAsync(agent, "HS-0001", 5, EventTypes.Battery, new { percent = 80, charging = false });
        await _b.WaitForStatsAsync(s => s.Stored == 2, "both events");
        await _b.App.Services.GetRequiredService<FleetGauges>().RefreshAsync(CancellationToken.None);

        var biomed = await _b.App.ClientAs("biomed");
        var headsets = await biomed.Get<List<HeadsetSummary>>("/api/v1/headsets");
        var text = await ScrapeAsync();
        foreach (var group in headsets.Where(h => !h.Retired).GroupBy(h => (h.Hygiene, h.Online)))
            PrometheusText.Sum(text, "fleet_headsets", ("hygiene_state", group.Key.Hygiene), ("online", group.Key.Online ? "true" : "false"))
                .ShouldBe(group.Count(), $"{group.Key.Hygiene}, online {group.Key.Online}");
        PrometheusText.Sum(text, "fleet_headsets").ShouldBe(headsets.Count(h => !h.Retired));
        PrometheusText.Sum(text, "fleet_ingest_unconfirmed", ("headset", "HS-0001")).ShouldBe(3, "seq 2, 3 and 4 never arrived");
        PrometheusText.Has(text, "fleet_ehr_outbox_depth").ShouldBeTrue();
    }

    [Fact]
    public async Task MetricsAreForBiomedicalEngineersAndAdminsOnly()
    {
        using var anonymous = _b.App.CreateClient();
        (await anonymous.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var nurse = await _b.App.ClientAs("nurse");
        (await nurse.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var admin = await _b.App.ClientAs("admin");
        (await admin.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<string> ScrapeAsync()
    {
        var biomed = await _b.App.ClientAs("biomed");
        var r = await biomed.GetAsync("/metrics");
        r.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await r.Content.ReadAsStringAsync();
    }

    private static Task TestMqttPublish(MQTTnet.IMqttClient client, string topic, string payload) =>
        client.PublishAsync(BrokerApp.Message(topic, payload));
}
