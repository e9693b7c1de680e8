using Fleet.Testing.Broker;

namespace Fleet.Messaging.Tests.Support;

/// <summary>One anonymous Mosquitto shared by the tests of the "Mosquitto" collection; they isolate by unique topics and client ids.</summary>
public sealed class SharedMosquitto : IAsyncLifetime
{
    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { ExtraConfig = Mqtt.FleetBrokerLimits });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedMosquittoCollection : ICollectionFixture<SharedMosquitto>
{
    public const string Name = "Mosquitto";
}
