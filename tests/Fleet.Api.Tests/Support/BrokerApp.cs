using System.Net;
using System.Text.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Broker;
using Fleet.Testing.Mqtt;
using MQTTnet;
using Shouldly;

namespace Fleet.Api.Tests.Support;

/// <summary>
/// A real Mosquitto (dynamic security on, Fleet's queue and in-flight settings) and the API connected to it.
/// The API provisions its own broker account and the headsets' accounts, as in production.
/// </summary>
public sealed class BrokerApp : IAsyncDisposable
{
    public const string AdminUser = "broker-admin";
    public const string AdminPassword = "broker-admin-secret";
    public const string ApiPassword = "api-secret-for-tests";

    /// <summary>The same limits infra/broker uses: no silent drop of queued QoS 1 messages, a window large enough for batch acks.</summary>
    public static readonly IReadOnlyList<string> FleetBrokerSettings = ["max_inflight_messages 1000", "max_queued_messages 0"];

    private readonly bool _ownsBroker;

    private BrokerApp(MosquittoBroker broker, FleetApp app, bool ownsBroker)
    {
        Broker = broker;
        App = app;
        _ownsBroker = ownsBroker;
    }

    public MosquittoBroker Broker { get; }
    public FleetApp App { get; }
    public Topics Topics { get; } = new();

    /// <summary>A broker of its own and the API on it; disposing stops both.</summary>
    public static async Task<BrokerApp> StartAsync() => await StartAsync(await StartBrokerAsync(), new FleetApp(), ownsBroker: true);

    /// <summary>
    /// The API as <paramref name="app"/> sets it up (data directory, clock, extra settings) on a broker the caller owns
    /// and keeps when this is disposed, e.g. to restart the API or the broker under the other.
    /// </summary>
    public static Task<BrokerApp> OnBrokerAsync(MosquittoBroker broker, FleetApp app) => StartAsync(broker, app, ownsBroker: false);

    /// <summary>Mosquitto as infra/broker configures it: dynamic security, persistence, Fleet's queue and in-flight limits.</summary>
    public static Task<MosquittoBroker> StartBrokerAsync() => MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        AllowAnonymous = false,
        DynamicSecurityAdmin = (AdminUser, AdminPassword),
        ExtraConfig = FleetBrokerSettings,
        Persistence = true,
    });

    private static async Task<BrokerApp> StartAsync(MosquittoBroker broker, FleetApp app, bool ownsBroker)
    {
        app.WithSetting("Fleet:Mqtt:Enabled", "true")
            .WithSetting("Fleet:Mqtt:Host", broker.Host)
            .WithSetting("Fleet:Mqtt:Port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Fleet:Mqtt:Password", ApiPassword)
            .WithSetting("Fleet:Mqtt:ClientId", "fleet-api-test")
            .WithSetting("Fleet:Mqtt:AdminUsername", AdminUser)
            .WithSetting("Fleet:Mqtt:AdminPassword", AdminPassword);
        var result = new BrokerApp(broker, app, ownsBroker);
        await result.WaitUntilReadyAsync();
        return result;
    }

    /// <summary>Readiness includes the broker connection (and its subscription shortly after).</summary>
    public async Task WaitUntilReadyAsync()
    {
        var client = App.CreateClient();
        await Eventually.Async(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "the API to connect to the broker");
        await Task.Delay(300); // the subscription follows the connection
    }

    public async Task<EnrollmentView> EnrollAsync(string headsetId)
    {
        var biomed = await App.ClientAs("biomed");
        var r = await biomed.Post($"/api/v1/headsets/{headsetId}/enroll");
        await r.ShouldBe(HttpStatusCode.OK);
        return await r.Read<EnrollmentView>();
    }

    /// <summary>An MQTT connection as the headset, with its issued credentials.</summary>
    public Task<IMqttClient> ConnectAsHeadsetAsync(EnrollmentView e, string? password = null, bool cleanSession = true) =>
        TestMqtt.ConnectAsync(Broker.Host, Broker.Port, e.Username, password ?? e.Password, e.ClientId, cleanSession);

    public static MqttApplicationMessage Message(string topic, string payload, bool retain = false) => TestMqtt.Message(topic, payload, retain);

    /// <summary>A contract event envelope as an agent would send it.</summary>
    public static string Event(string headsetId, long seq, string type, object data, DateTimeOffset at, Guid? id = null) =>
        JsonSerializer.Serialize(new { id = id ?? Guid.CreateVersion7(), headset = headsetId, seq, type, at, data }, FleetJson.Options);

    public Task PublishEventAsync(IMqttClient client, string headsetId, long seq, string type, object data, Guid? id = null) =>
        client.PublishCheckedAsync(Message(Topics.Events(headsetId), Event(headsetId, seq, type, data, App.Time.GetUtcNow(), id)));

    public async Task<IngestStats> StatsAsync() => await (await App.ClientAs("biomed")).Get<IngestStats>("/api/v1/ingest/stats");

    public async Task<IngestStats> WaitForStatsAsync(Func<IngestStats, bool> condition, string what)
    {
        IngestStats? last = null;
        await Eventually.Async(async () => condition(last = await StatsAsync()), what, () => JsonSerializer.Serialize(last));
        return last!;
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        if (_ownsBroker) await Broker.DisposeAsync();
    }
}

/// <summary>Waits for something the system does asynchronously, failing with a clear message instead of hanging.</summary>
public static class Eventually
{
    public static async Task Async(Func<Task<bool>> condition, string what, Func<string>? state = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        throw new ShouldAssertException($"Timed out waiting for {what}. {state?.Invoke()}");
    }
}
