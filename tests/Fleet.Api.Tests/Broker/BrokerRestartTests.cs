using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;
using Shouldly;

namespace Fleet.Api.Tests.Broker;

/// <summary>The API's subscription across broker restarts and API restarts, and the shared subscription for several instances.</summary>
public sealed class BrokerRestartTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await BrokerApp.StartBrokerAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task EventsPublishedWhileTheApiIsAwayAndTheBrokerRestartsAreAllStoredOnce()
    {
        var first = await StartApiAsync();
        var enrollment = await first.EnrollAsync("HS-0001");
        await PublishAsync(first, enrollment, from: 1, count: 1);
        await first.WaitForStatsAsync(s => s.Stored == 1, "the first event stored");
        await first.DisposeAsync(); // the API goes away; its persistent session keeps collecting

        await PublishAsync(first, enrollment, from: 2, count: 10); // queued in the API's session
        await _broker.RestartAsync();
        await PublishAsync(first, enrollment, from: 12, count: 10); // reaches the restarted broker before the API is back

        await using var second = await StartApiAsync(first.App.Time);
        var stats = await second.WaitForStatsAsync(s => s.Stored == 21, "21 events stored");
        var headset = stats.Headsets.Single(h => h.HeadsetId == "HS-0001");
        headset.LastSeq.ShouldBe(21);
        headset.Gaps.ShouldBeEmpty();
        stats.Duplicates.ShouldBe(0);
        stats.DeadLettered.ShouldBe(0);
    }

    [Fact]
    public async Task WithTheSharedSubscriptionTwoInstancesSplitTheEventsAndNoneIsDeliveredToBoth()
    {
        await using var api = await StartApiAsync(shared: true);
        var enrollment = await api.EnrollAsync("HS-0001");

        // A second consumer in the same group, as a second API instance would be: an account of its own with the API's
        // role, bound to its own client id (one instance's account cannot connect as another).
        await _broker.DynamicSecurityAsync("createClient", "fleet-api-other", "-c", "fleet-api-other", "-p", BrokerApp.ApiPassword);
        await _broker.DynamicSecurityAsync("addClientRole", "fleet-api-other", "fleet-api");
        var other = new List<long>();
        using var instance = await TestMqtt.ConnectAsync(_broker.Host, _broker.Port, "fleet-api-other", BrokerApp.ApiPassword, "fleet-api-other",
            beforeConnect: c => c.ApplicationMessageReceivedAsync += e =>
            {
                lock (other) other.Add(System.Text.Json.JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.GetProperty("seq").GetInt64());
                return Task.CompletedTask;
            });
        await instance.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(api.Topics.SharedEvents(), MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await PublishAsync(api, enrollment, from: 1, count: 40);

        await Eventually.Async(async () =>
        {
            var stored = (await api.StatsAsync()).Stored;
            lock (other) return stored + other.Count == 40;
        }, "all 40 events to reach one of the two instances");
        var storedByApi = (await api.StatsAsync()).Stored;
        storedByApi.ShouldBeInRange(1, 39, "both instances take a share");
        lock (other) other.Distinct().Count().ShouldBe(other.Count);
    }

    /// <summary>The API on this test's broker and data directory (so a second start is the same API restarted).</summary>
    private Task<BrokerApp> StartApiAsync(Fleet.Testing.Time.ManualTimeProvider? time = null, bool shared = false)
    {
        var app = new FleetApp(_data.Path, time: time);
        if (shared) app.WithSetting("Fleet:Mqtt:SharedSubscription", "true");
        return BrokerApp.OnBrokerAsync(_broker, app);
    }

    /// <summary>Heartbeats <paramref name="from"/>.. as the headset, each acknowledged by the broker.</summary>
    private static async Task PublishAsync(BrokerApp api, EnrollmentView e, long from, int count)
    {
        using var headset = await api.ConnectAsHeadsetAsync(e);
        for (var seq = from; seq < from + count; seq++)
            await api.PublishEventAsync(headset, e.HeadsetId, seq, EventTypes.Heartbeat, new HeartbeatData(seq, "test"));
        await headset.DisconnectAsync();
    }
}
