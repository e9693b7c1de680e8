using System.Net;
using System.Text;
using System.Text.Json;
using Fleet.Api.Tests.Infrastructure;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Mqtt;
using Fleet.Mqtt.Client;
using Fleet.Testing.Broker;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

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

    private BrokerApp(MosquittoBroker broker, FleetApp app)
    {
        Broker = broker;
        App = app;
    }

    public MosquittoBroker Broker { get; }
    public FleetApp App { get; }
    public Topics Topics { get; } = new();

    public static async Task<BrokerApp> StartAsync()
    {
        var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            DynamicSecurityAdmin = (AdminUser, AdminPassword),
            ExtraConfig = FleetBrokerSettings,
        });
        var app = new FleetApp();
        Configure(app, broker);
        var result = new BrokerApp(broker, app);
        await result.WaitUntilReadyAsync();
        return result;
    }

    public static void Configure(FleetApp app, MosquittoBroker broker) => app
        .WithSetting("Fleet:Mqtt:Enabled", "true")
        .WithSetting("Fleet:Mqtt:Host", broker.Host)
        .WithSetting("Fleet:Mqtt:Port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithSetting("Fleet:Mqtt:Password", ApiPassword)
        .WithSetting("Fleet:Mqtt:ClientId", "fleet-api-test")
        .WithSetting("Fleet:Mqtt:AdminUsername", AdminUser)
        .WithSetting("Fleet:Mqtt:AdminPassword", AdminPassword);

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
    public async Task<MqttClient> ConnectAsHeadsetAsync(EnrollmentView e, string? password = null, bool cleanSession = true)
    {
        var client = new MqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(Broker.Host, Broker.Port)
            .WithClientId($"agent-{e.HeadsetId}-{Guid.NewGuid():N}"[..23]).WithCredentials(e.Username, password ?? e.Password)
            .WithCleanSession(cleanSession).Build());
        return client;
    }

    public static MqttApplicationMessage Message(string topic, string payload, bool retain = false) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();

    /// <summary>A contract event envelope as an agent would send it.</summary>
    public static string Event(string headsetId, long seq, string type, object data, DateTimeOffset at, Guid? id = null) =>
        JsonSerializer.Serialize(new { id = id ?? Guid.CreateVersion7(), headset = headsetId, seq, type, at, data }, FleetJson.Options);

    public Task PublishEventAsync(MqttClient client, string headsetId, long seq, string type, object data, Guid? id = null) =>
        client.PublishAsync(Message(Topics.Events(headsetId), Event(headsetId, seq, type, data, App.Time.GetUtcNow(), id)));

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
        await Broker.DisposeAsync();
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
