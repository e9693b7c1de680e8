using System.Globalization;
using System.Text.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;
using Fleet.Testing.Broker;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>
/// The site with a real Mosquitto (dynamic security on, no anonymous access) that the API connects to and provisions
/// headsets' accounts on, as in production: enrolling issues working credentials, and what a headset sends reaches its page.
/// </summary>
public sealed class FleetSiteWithBroker : FleetSite
{
    private const string AdminUser = "broker-admin";
    private const string AdminPassword = "broker-admin-secret";

    public MosquittoBroker Broker { get; private set; } = default!;
    public Topics Topics { get; } = new();

    /// <summary>The hospital's zone on this site, not the machine's (UTC), so a page on the server's clock shows.</summary>
    public const string HospitalZone = "Asia/Tokyo";

    protected override IReadOnlyDictionary<string, string> WebSettings => new Dictionary<string, string> { ["Fleet__TimeZone"] = HospitalZone };

    protected override IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["Fleet__Mqtt__Enabled"] = "true",
        ["Fleet__Mqtt__Host"] = Broker.Host,
        ["Fleet__Mqtt__Port"] = Broker.Port.ToString(CultureInfo.InvariantCulture),
        ["Fleet__Mqtt__Password"] = "api-secret-for-web-tests",
        ["Fleet__Mqtt__AdminUsername"] = AdminUser,
        ["Fleet__Mqtt__AdminPassword"] = AdminPassword,
        ["Fleet__Mqtt__ClientId"] = "fleet-api-web-tests",
    };

    public override async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { AllowAnonymous = false, DynamicSecurityAdmin = (AdminUser, AdminPassword) });
        // The API is ready once it is connected to the broker; starting the web and the browser after it gives its
        // subscription (which follows the connection) seconds to be in place before any test publishes.
        await base.InitializeAsync();
    }

    /// <summary>An MQTT connection as a headset's agent makes it; a refusal throws <see cref="Fleet.Messaging.BrokerRefusedException"/>.</summary>
    public Task<IMqttClient> ConnectAsync(string username, string password) =>
        TestMqtt.ConnectAsync(Broker.Host, Broker.Port, username, password, Topics.HeadsetClientId(username));

    /// <summary>One contract event envelope published as the headset, with QoS 1 as its agent does.</summary>
    public Task PublishEventAsync(IMqttClient agent, string headsetId, long seq, string type, object data, DateTimeOffset at)
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7(), Headset = headsetId, Seq = seq, Type = type, At = at,
            Data = JsonSerializer.SerializeToElement(data, FleetJson.Options),
        };
        return agent.PublishCheckedAsync(TestMqtt.Message(Topics.Events(headsetId), JsonSerializer.Serialize(envelope, FleetJson.Options)));
    }

    /// <summary>Waits until the API has stored <paramref name="count"/> events of the headset (ingestion is asynchronous).</summary>
    public async Task WaitUntilStoredAsync(string headsetId, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var stats = await GetAsync<IngestStats>("biomed", $"/api/v1/ingest/stats?headsetId={Uri.EscapeDataString(headsetId)}");
            if (stats.Headsets.SingleOrDefault()?.Stored >= count) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{headsetId}: {count} events were not stored; ingest stats {JsonSerializer.Serialize(stats, FleetJson.Options)}.");
            await Task.Delay(100);
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerSiteCollection : ICollectionFixture<FleetSiteWithBroker>
{
    public const string Name = "fleet site with broker";
}
