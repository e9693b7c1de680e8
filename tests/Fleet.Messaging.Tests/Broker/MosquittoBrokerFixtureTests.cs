using Fleet.Testing;

namespace Fleet.Messaging.Tests.Broker;

/// <summary>The test fixture itself (tests/Fleet.Testing/Broker): how it fails, restarts and cleans up.</summary>
public class MosquittoBrokerFixtureTests
{
    [Fact]
    public async Task MissingMosquittoFailsWithAMessageAboutTheInstallScript()
    {
        await using var broker = new MosquittoBroker(new MosquittoBrokerOptions { ExecutablePath = "/nonexistent/mosquitto" });

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => broker.StartAsync());

        exception.Message.ShouldContain("install script");
        exception.Message.ShouldContain("mosquitto");
    }

    [Fact]
    public async Task BrokerThatRefusesItsConfigFailsWithItsLog()
    {
        await using var broker = new MosquittoBroker(new MosquittoBrokerOptions { ExtraConfig = ["this_is_not_an_option 1"] });

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => broker.StartAsync());

        exception.Message.ShouldContain("this_is_not_an_option");
        broker.IsRunning.ShouldBeFalse();
    }

    [Fact]
    public async Task RestartKeepsThePortAndDisposeRemovesTheDirectory()
    {
        var broker = await MosquittoBroker.StartNewAsync();
        var port = broker.Port;

        await broker.RestartAsync();
        broker.Port.ShouldBe(port);
        (await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(1))).ShouldBeTrue();

        await broker.DisposeAsync();
        broker.IsRunning.ShouldBeFalse();
        Directory.Exists(broker.Directory).ShouldBeFalse();
    }
}
