using System.Net;
using System.Net.Sockets;
using MQTTnet.Exceptions;

namespace Fleet.Messaging.Tests.Reconnect;

/// <summary>
/// <see cref="ResilientMqttConnection"/>, the reconnect loop MQTTnet 5 leaves to us: each test owns a broker it stops,
/// restarts or loses.
/// </summary>
public class ResilientConnectionTests
{
    private static readonly ReconnectOptions Fast = new() { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400) };

    [Fact]
    public async Task ItReconnectsAfterABrokerRestartAndResumesItsSessionWithNothingLost()
    {
        await using var broker = await StartBrokerAsync(persistence: true);
        var topic = Mqtt.UniqueTopic("restart");
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("api").Build(), Fast);
        var events = new ConnectionEvents(connection);
        var received = new MessageCollector(connection.Client);
        connection.Start();
        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeFalse();
        await connection.SubscribeAsync([Mqtt.Filter(topic)], Timeouts.Token());

        await broker.RestartAsync();
        using (var publisher = await broker.ConnectAsync())
        {
            // Possibly before the connection is back: the restored session queues it.
            await publisher.PublishAtLeastOnceAsync(topic, "right after the restart");
        }

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeTrue();
        (await received.NextAsync()).Text().ShouldBe("right after the restart");
        events.Disconnects.ShouldBe(1);
        connection.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task AMessageNotAcknowledgedWhenTheBrokerRestartsIsRedeliveredToTheResumedSession()
    {
        await using var broker = await StartBrokerAsync(persistence: true);
        var topic = Mqtt.UniqueTopic("uncommitted");
        await using var api = new ResilientMqttConnection(broker.PersistentOptions("api").Build(), Fast);
        var events = new ConnectionEvents(api);
        var received = new MessageCollector(api.Client, autoAcknowledge: false);
        api.Start();
        await events.NextConnectionAsync();
        await api.SubscribeAsync([Mqtt.Filter(topic)], Timeouts.Token());
        using (var agent = await broker.ConnectAsync())
        {
            await agent.PublishAtLeastOnceAsync(topic, "committed");
            await agent.PublishAtLeastOnceAsync(topic, "not yet committed");
        }

        var committed = await received.NextAsync();
        committed.Text().ShouldBe("committed");
        await committed.AcknowledgeAsync(Timeouts.Token());
        (await received.NextAsync()).Text().ShouldBe("not yet committed");
        await api.Client.PingAsync(Timeouts.Token()); // the broker has handled the PUBACK before the restart
        await broker.RestartAsync();

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeTrue();
        var again = await received.NextAsync();
        again.Text().ShouldBe("not yet committed");
        again.ApplicationMessage.Dup.ShouldBeTrue();
        await again.AcknowledgeAsync(Timeouts.Token());
        using var later = await broker.ConnectAsync();
        await later.PublishAtLeastOnceAsync(topic, "sentinel");
        (await received.NextAsync()).Text().ShouldBe("sentinel", "the acknowledged message is not redelivered");
    }

    [Fact]
    public async Task ItBacksOffWhileTheBrokerIsDownAndConnectsWhenItReturns()
    {
        await using var broker = await StartBrokerAsync(persistence: true);
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("agent").Build(), Fast);
        var events = new ConnectionEvents(connection);
        connection.Start();
        await events.NextConnectionAsync();

        await broker.StopAsync();
        await events.WaitForFailuresAsync(4);
        connection.IsConnected.ShouldBeFalse();
        await broker.StartAsync();

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeTrue();
        var failures = events.Failures;
        failures.Select(f => f.AttemptNumber).Take(4).ShouldBe([0, 1, 2, 3]);
        failures.ShouldAllBe(f => f.RetryDelay > TimeSpan.Zero && f.RetryDelay <= Fast.MaxDelay);
        failures.ShouldAllBe(f => f.Exception is MqttCommunicationException, "the broker was unreachable, not refusing");
    }

    [Fact]
    public async Task ItStartsWhileTheBrokerIsDownAndConnectsWhenItComesUp()
    {
        await using var broker = await StartBrokerAsync(persistence: false);
        await broker.StopAsync();
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("late").Build(), Fast);
        var events = new ConnectionEvents(connection);
        connection.Start();
        await events.WaitForFailuresAsync(2);

        await broker.StartAsync();

        await connection.WaitUntilConnectedAsync(Timeouts.Token());
        connection.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task APublishWhileTheBrokerIsDownWaitsAndCompletesWhenItReturns()
    {
        await using var broker = await StartBrokerAsync(persistence: true);
        var topic = Mqtt.UniqueTopic("down");
        using var subscriber = await broker.ConnectAsync(broker.PersistentOptions("api").Build());
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        await using var agent = new ResilientMqttConnection(broker.PersistentOptions("agent").Build(), Fast);
        var events = new ConnectionEvents(agent);
        agent.Start();
        await events.NextConnectionAsync();

        await broker.StopAsync();
        await events.WaitForFailuresAsync(1);
        var publish = agent.PublishAsync(Mqtt.Message(topic, "while down"), Timeouts.Token());
        publish.IsCompleted.ShouldBeFalse("it waits for the connection instead of failing");
        await broker.StartAsync();

        await publish;
        var received = new MessageCollector(subscriber);
        await subscriber.ConnectAsync(broker.PersistentOptions("api").Build(), Timeouts.Token());
        (await received.NextAsync()).Text().ShouldBe("while down");
    }

    [Fact]
    public async Task ItSubscribesAgainWhenTheBrokerComesBackWithoutTheSession()
    {
        await using var broker = await StartBrokerAsync(persistence: false);
        var topic = Mqtt.UniqueTopic("lost");
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("api").Build(), Fast);
        var events = new ConnectionEvents(connection);
        var received = new MessageCollector(connection.Client);
        connection.Start();
        await events.NextConnectionAsync();
        await connection.SubscribeAsync([Mqtt.Filter(topic)], Timeouts.Token());

        await broker.RestartAsync(); // without persistence the broker forgets the session and its subscription

        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeFalse();
        using var publisher = await broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "after the session was lost");
        (await received.NextAsync()).Text().ShouldBe("after the session was lost");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResubscribeOnResumedSessionRestoresASharedSubscriptionTheBrokerForgotOnRestart(bool resubscribe)
    {
        await using var broker = await StartBrokerAsync(persistence: true);
        var topic = Mqtt.UniqueTopic("shared");
        await using var connection = new ResilientMqttConnection(broker.PersistentOptions("api").Build(), Fast) { ResubscribeOnResumedSession = resubscribe };
        var events = new ConnectionEvents(connection);
        var received = new MessageCollector(connection.Client);
        connection.Start();
        await events.NextConnectionAsync();
        await connection.SubscribeAsync([Mqtt.Filter($"$share/fleet-api/{topic}/events"), Mqtt.Filter($"{topic}/sentinel")], Timeouts.Token());

        await broker.RestartAsync();
        (await events.NextConnectionAsync()).IsSessionPresent.ShouldBeTrue();
        using var publisher = await broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync($"{topic}/events", "event");
        await publisher.PublishAtLeastOnceAsync($"{topic}/sentinel", "sentinel");

        // Mosquitto 2.0.11 restores the session and its plain subscriptions but not the shared one.
        (await received.TakeUntilAsync("sentinel")).ShouldBe(resubscribe ? ["event", "sentinel"] : ["sentinel"]);
    }

    [Fact]
    public async Task AConnectAttemptThatTheBrokerNeverAnswersTimesOutAndIsRetried()
    {
        // A listener that accepts TCP connections and never says a word, like a hung broker or a proxy with no backend.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new System.Collections.Concurrent.ConcurrentBag<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true) accepted.Add(await silent.AcceptSocketAsync());
        });
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("hung").WithTimeout(TimeSpan.FromSeconds(1)).Build();
        await using var connection = new ResilientMqttConnection(options, Fast);
        var events = new ConnectionEvents(connection);

        connection.Start();

        await events.WaitForFailuresAsync(2);
        connection.IsConnected.ShouldBeFalse();
        events.Failures.ShouldAllBe(f => f.Exception is MqttCommunicationTimedOutException);
        silent.Stop();
        foreach (var socket in accepted.ToArray()) socket.Dispose();
        _ = accepting.ContinueWith(t => t.Exception, TaskScheduler.Default);
    }

    private static Task<MosquittoBroker> StartBrokerAsync(bool persistence) =>
        MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions { Persistence = persistence, ExtraConfig = Mqtt.FleetBrokerLimits });
}
