using Fleet.Mqtt.Client;
using Fleet.Mqtt.Tests.Support;
using Fleet.Testing.Broker;
using Shouldly;
using Xunit;
using static Fleet.Mqtt.Tests.Support.ClientHelpers;

namespace Fleet.Mqtt.Tests.Integration;

[Collection("Mosquitto")]
public class ConnectionLifecycleTests(SharedMosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task WillIsPublishedWhenTheClientVanishesWithoutDisconnect()
    {
        var willTopic = BrokerExtensions.UniqueTopic("will");
        await using var watcher = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        watcher.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await watcher.SubscribeAsync(willTopic, MqttQualityOfServiceLevel.AtLeastOnce);

        var headset = await Broker.ConnectAsync(Broker.ClientOptions().WithWillMessage(Message(willTopic, "headset-9 offline")).Build());
        await headset.DisposeAsync(); // socket closed, no DISCONNECT

        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("headset-9 offline");
    }

    [Fact]
    public async Task WillIsNotPublishedAfterACleanDisconnect()
    {
        var willTopic = BrokerExtensions.UniqueTopic("will");
        await using var watcher = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        watcher.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await watcher.SubscribeAsync(willTopic, MqttQualityOfServiceLevel.AtLeastOnce);

        await using var headset = await Broker.ConnectAsync(Broker.ClientOptions().WithWillMessage(Message(willTopic, "headset-9 offline")).Build());
        await headset.DisconnectAsync();
        headset.IsConnected.ShouldBeFalse();

        // Mosquitto handles the DISCONNECT before this later publish, so a Will would have arrived first.
        await watcher.PublishAsync(Message(willTopic, "sentinel"));
        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("sentinel");
    }

    [Fact]
    public async Task KeepAlivePingsKeepAnIdleConnectionOpen()
    {
        var topic = BrokerExtensions.UniqueTopic("idle");
        await using var client = await Broker.ConnectAsync(Broker.ClientOptions().WithKeepAlivePeriod(TimeSpan.FromSeconds(1)).Build());
        var disconnects = 0;
        client.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref disconnects);
            return Task.CompletedTask;
        };
        var collector = new MessageCollector();
        client.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);

        // Mosquitto drops a client that is silent for 1.5 keep-alive periods; stay idle for more than twice that.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        client.IsConnected.ShouldBeTrue();
        disconnects.ShouldBe(0);
        await client.PublishAsync(Message(topic, "still here"));
        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("still here");
    }

    [Fact]
    public async Task PingRoundTripsWithMosquitto()
    {
        await using var client = await Broker.ConnectAsync();
        await client.PingAsync().WaitAsync(Timeouts.Default);
    }

    [Fact]
    public async Task SessionPresentIsReportedWhenResumingAPersistentSession()
    {
        var options = Broker.ClientOptions().WithCleanSession(false).Build();
        await using var client = new MqttClient();

        (await client.ConnectAsync(options)).IsSessionPresent.ShouldBeFalse();
        await client.DisconnectAsync();
        (await client.ConnectAsync(options)).IsSessionPresent.ShouldBeTrue();
        await client.DisconnectAsync();
        (await client.ConnectAsync(options with { CleanSession = true })).IsSessionPresent.ShouldBeFalse();
    }

    [Fact]
    public async Task UnacknowledgedMessageIsRedeliveredWithDupAfterReconnect()
    {
        var topic = BrokerExtensions.UniqueTopic("redeliver");
        var options = Broker.ClientOptions().WithCleanSession(false).Build();
        await using var subscriber = new MqttClient();
        var collector = new MessageCollector(autoAcknowledge: false);
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.ConnectAsync(options);
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        await using var publisher = await Broker.ConnectAsync();

        await publisher.PublishAsync(Message(topic, "needs-commit"));
        var first = await collector.NextAsync();
        first.ApplicationMessage.Dup.ShouldBeFalse();
        await subscriber.DisconnectAsync(); // never acknowledged

        (await subscriber.ConnectAsync(options)).IsSessionPresent.ShouldBeTrue();
        var again = await collector.NextAsync();
        again.ApplicationMessage.ConvertPayloadToString().ShouldBe("needs-commit");
        again.ApplicationMessage.Dup.ShouldBeTrue();
        await again.AcknowledgeAsync();

        // Acknowledged now: after another reconnect the next message is the new one, not a third copy.
        await subscriber.DisconnectAsync();
        await subscriber.ConnectAsync(options);
        await publisher.PublishAsync(Message(topic, "next"));
        var next = await collector.NextAsync();
        next.ApplicationMessage.ConvertPayloadToString().ShouldBe("next");
        await next.AcknowledgeAsync();
    }

    [Fact]
    public async Task AcksHeldBehindAnUnacknowledgedMessageAreNotSentSoTheBrokerRedeliversAll()
    {
        var topic = BrokerExtensions.UniqueTopic("held");
        var options = Broker.ClientOptions().WithCleanSession(false).Build();
        await using var subscriber = new MqttClient();
        var collector = new MessageCollector(autoAcknowledge: false);
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.ConnectAsync(options);
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        await using var publisher = await Broker.ConnectAsync();

        foreach (var payload in new[] { "1", "2", "3" })
        {
            await publisher.PublishAsync(Message(topic, payload));
        }

        var received = await collector.TakeAsync(3);
        await received[1].AcknowledgeAsync();
        await received[2].AcknowledgeAsync();
        await subscriber.PingAsync(); // anything queued so far is flushed before the ping's answer
        await subscriber.DisconnectAsync();

        await subscriber.ConnectAsync(options);
        var redelivered = await collector.TakeAsync(3);
        redelivered.Select(m => m.ApplicationMessage.ConvertPayloadToString()).ShouldBe(["1", "2", "3"]);
        redelivered.ShouldAllBe(m => m.ApplicationMessage.Dup);

        // Acknowledged in reverse order, all three PUBACKs go out (in arrival order): nothing comes back.
        foreach (var message in Enumerable.Reverse(redelivered))
        {
            await message.AcknowledgeAsync();
        }

        await subscriber.PingAsync();
        await subscriber.DisconnectAsync();
        await subscriber.ConnectAsync(options);
        await publisher.PublishAsync(Message(topic, "sentinel"));
        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("sentinel");
    }
}
