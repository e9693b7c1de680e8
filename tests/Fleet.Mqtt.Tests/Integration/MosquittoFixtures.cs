using Fleet.Mqtt.Client;
using Fleet.Testing.Broker;
using Xunit;

namespace Fleet.Mqtt.Tests.Integration;

/// <summary>One anonymous Mosquitto shared by the tests of the "Mosquitto" collection; tests isolate by unique topics.</summary>
public sealed class SharedMosquittoFixture : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        ExtraConfig = ["max_inflight_messages 100", "max_queued_messages 10000"],
    });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

[CollectionDefinition("Mosquitto")]
public sealed class MosquittoCollection : ICollectionFixture<SharedMosquittoFixture>;

internal static class BrokerExtensions
{
    public static MqttClientOptionsBuilder ClientOptions(this MosquittoBroker broker, string? clientId = null) => new MqttClientOptionsBuilder()
        .WithTcpServer(broker.Host, broker.Port)
        .WithClientId(clientId ?? "t-" + Guid.NewGuid().ToString("N")[..12])
        .WithTimeout(TimeSpan.FromSeconds(5));

    public static async Task<MqttClient> ConnectAsync(this MosquittoBroker broker, MqttClientOptions? options = null)
    {
        var client = new MqttClient();
        await client.ConnectAsync(options ?? broker.ClientOptions().Build());
        return client;
    }

    public static string UniqueTopic(string prefix) => $"{prefix}/{Guid.NewGuid():N}";
}
