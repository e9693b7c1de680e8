using System.Net;
using Fleet.Api.Tests.Infrastructure;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Mqtt;
using Fleet.Mqtt.Client;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The API's subscription across broker restarts and API restarts, and the shared subscription for several instances.</summary>
public sealed class BrokerRestartTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly Topics _topics = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        AllowAnonymous = false,
        DynamicSecurityAdmin = (BrokerApp.AdminUser, BrokerApp.AdminPassword),
        ExtraConfig = BrokerApp.FleetBrokerSettings,
        Persistence = true, // as infra/broker configures it
    });

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task EventsPublishedWhileTheApiIsAwayAndTheBrokerRestartsAreAllStoredOnce()
    {
        var first = await StartApiAsync();
        var enrollment = await EnrollAsync(first, "HS-0001");
        var seq = 0L;
        await PublishAsync(first, enrollment, from: ++seq, count: 1);
        await WaitForStoredAsync(first, 1);
        var time = first.Time;
        first.Dispose(); // the API goes away; its persistent session keeps collecting

        await PublishAsync(first, enrollment, from: 2, count: 10); // queued in the API's session
        await _broker.RestartAsync();
        await PublishAsync(first, enrollment, from: 12, count: 10); // reaches the restarted broker before the API is back

        using var second = await StartApiAsync(time);
        var stats = await WaitForStoredAsync(second, 21);
        var headset = stats.Headsets.Single(h => h.HeadsetId == "HS-0001");
        headset.LastSeq.ShouldBe(21);
        headset.Gaps.ShouldBeEmpty();
        stats.Duplicates.ShouldBe(0);
        stats.DeadLettered.ShouldBe(0);
    }

    [Fact]
    public async Task WithTheSharedSubscriptionTwoInstancesSplitTheEventsAndNoneIsDeliveredToBoth()
    {
        using var api = await StartApiAsync(shared: true);
        var enrollment = await EnrollAsync(api, "HS-0001");

        // A second consumer in the same group, as a second API instance would be.
        var other = new List<long>();
        await using var instance = new MqttClient();
        instance.ApplicationMessageReceivedAsync += e =>
        {
            lock (other) other.Add(System.Text.Json.JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.GetProperty("seq").GetInt64());
            return Task.CompletedTask;
        };
        await instance.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId("fleet-api-other").WithCredentials("fleet-api", BrokerApp.ApiPassword).Build());
        await instance.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_topics.SharedEvents(), MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await PublishAsync(api, enrollment, from: 1, count: 40);

        await Eventually.Async(async () =>
        {
            var stored = (await StatsAsync(api)).Stored;
            lock (other) return stored + other.Count == 40;
        }, "all 40 events to reach one of the two instances");
        var storedByApi = (await StatsAsync(api)).Stored;
        storedByApi.ShouldBeInRange(1, 39, "both instances take a share");
        lock (other) other.Distinct().Count().ShouldBe(other.Count);
    }

    private async Task<FleetApp> StartApiAsync(Fleet.Testing.Time.ManualTimeProvider? time = null, bool shared = false)
    {
        var app = new FleetApp(_data.Path, time: time);
        BrokerApp.Configure(app, _broker);
        if (shared) app.WithSetting("Fleet:Mqtt:SharedSubscription", "true");
        var client = app.CreateClient();
        await Eventually.Async(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "the API to connect to the broker");
        await Task.Delay(300); // the subscription follows the connection
        return app;
    }

    private static async Task<EnrollmentView> EnrollAsync(FleetApp app, string headsetId)
    {
        var r = await (await app.ClientAs("biomed")).Post($"/api/v1/headsets/{headsetId}/enroll");
        await r.ShouldBe(HttpStatusCode.OK);
        return await r.Read<EnrollmentView>();
    }

    /// <summary>Heartbeats <paramref name="from"/>.. as the headset, each acknowledged by the broker.</summary>
    private async Task PublishAsync(FleetApp app, EnrollmentView e, long from, int count)
    {
        await using var headset = new MqttClient();
        await headset.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId($"agent-{e.HeadsetId}").WithCredentials(e.Username, e.Password).Build());
        for (var seq = from; seq < from + count; seq++)
        {
            var payload = BrokerApp.Event(e.HeadsetId, seq, EventTypes.Heartbeat, new HeartbeatData(seq, "test"), app.Time.GetUtcNow());
            await headset.PublishAsync(BrokerApp.Message(_topics.Events(e.HeadsetId), payload));
        }
        await headset.DisconnectAsync();
    }

    private static async Task<IngestStats> StatsAsync(FleetApp app) => await (await app.ClientAs("biomed")).Get<IngestStats>("/api/v1/ingest/stats");

    private static async Task<IngestStats> WaitForStoredAsync(FleetApp app, long stored)
    {
        IngestStats? last = null;
        await Eventually.Async(async () => (last = await StatsAsync(app)).Stored == stored, $"{stored} events stored",
            () => System.Text.Json.JsonSerializer.Serialize(last));
        return last!;
    }
}
