using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Tests.Support;
using Fleet.Testing.Broker;
using Shouldly;
using Xunit;
using static Fleet.Mqtt.Tests.Support.ClientHelpers;

namespace Fleet.Mqtt.Tests.Integration;

[Collection("Mosquitto")]
public class PublishSubscribeTests(SharedMosquittoFixture fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Theory]
    [InlineData(MqttQualityOfServiceLevel.AtMostOnce)]
    [InlineData(MqttQualityOfServiceLevel.AtLeastOnce)]
    public async Task PublishedMessageReachesTheSubscriberWithTheGrantedQos(MqttQualityOfServiceLevel qos)
    {
        var topic = BrokerExtensions.UniqueTopic("ps");
        await using var subscriber = await Broker.ConnectAsync();
        await using var publisher = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;

        var subscription = await subscriber.SubscribeAsync(topic, qos);
        subscription.Items.Single().ResultCode.ShouldBe((MqttClientSubscribeResultCode)qos);
        var result = await publisher.PublishAsync(Message(topic, "hello", qos));

        var message = (await collector.NextAsync()).ApplicationMessage;
        message.Topic.ShouldBe(topic);
        message.ConvertPayloadToString().ShouldBe("hello");
        message.QualityOfServiceLevel.ShouldBe(qos);
        message.Retain.ShouldBeFalse();
        result.PacketIdentifier.HasValue.ShouldBe(qos == MqttQualityOfServiceLevel.AtLeastOnce);
    }

    [Fact]
    public async Task ClientsWithSmallBuffersCarryMessagesLargerThanTheirBuffers()
    {
        var topic = BrokerExtensions.UniqueTopic("small-buffers");
        await using var subscriber = await Broker.ConnectAsync(Broker.ClientOptions().WithBufferSize(1024).Build());
        await using var publisher = await Broker.ConnectAsync(Broker.ClientOptions().WithBufferSize(1024).Build());
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        var payload = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + i % 26)));

        await publisher.PublishAsync(Message(topic, payload));

        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe(payload);
    }

    [Fact]
    public async Task ManyQos1MessagesArriveCompleteAndInOrder()
    {
        var topic = BrokerExtensions.UniqueTopic("order");
        await using var subscriber = await Broker.ConnectAsync();
        await using var publisher = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);

        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => publisher.PublishAsync(Message(topic, $"{i}"))));

        var received = await collector.TakeAsync(2_000);
        var order = received.Select(m => int.Parse(m.ApplicationMessage.ConvertPayloadToString())).ToArray();
        order.SequenceEqual(Enumerable.Range(0, 2_000)).ShouldBeTrue($"first out of order at index {Enumerable.Range(0, order.Length).FirstOrDefault(i => order[i] != i)}");
    }

    [Fact]
    public async Task RetainedMessageIsDeliveredToALaterSubscriber()
    {
        var topic = BrokerExtensions.UniqueTopic("retained");
        await using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAsync(Message(topic, "last-known-state", retain: true));

        await using var subscriber = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);

        var message = (await collector.NextAsync()).ApplicationMessage;
        message.ConvertPayloadToString().ShouldBe("last-known-state");
        message.Retain.ShouldBeTrue();

        // An empty retained message clears it for the next subscriber.
        await publisher.PublishAsync(Message(topic, "", retain: true));
    }

    [Fact]
    public async Task WildcardFiltersMatchSingleAndMultipleLevels()
    {
        var root = BrokerExtensions.UniqueTopic("wild");
        await using var subscriber = await Broker.ConnectAsync();
        await using var publisher = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{root}/+/temp", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"{root}/alarms/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        string[] published = [$"{root}/ward1/temp", $"{root}/ward1/bed2/temp", $"{root}/alarms", $"{root}/alarms/fire/floor3", $"{root}/other", $"{root}/end/temp"];
        foreach (var topic in published)
        {
            await publisher.PublishAsync(Message(topic, "x"));
        }

        var received = new List<string>();
        while (received.LastOrDefault() != $"{root}/end/temp")
        {
            received.Add((await collector.NextAsync()).ApplicationMessage.Topic);
        }

        received.ShouldBe([$"{root}/ward1/temp", $"{root}/alarms", $"{root}/alarms/fire/floor3", $"{root}/end/temp"]);
    }

    [Fact]
    public async Task SharedSubscriptionSplitsMessagesBetweenGroupMembersWithoutDuplicates()
    {
        var topic = BrokerExtensions.UniqueTopic("jobs");
        await using var worker1 = await Broker.ConnectAsync();
        await using var worker2 = await Broker.ConnectAsync();
        await using var publisher = await Broker.ConnectAsync();
        var received = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var all = new CountdownEvent(100);
        foreach (var (name, worker) in new[] { ("w1", worker1), ("w2", worker2) })
        {
            received[name] = [];
            worker.ApplicationMessageReceivedAsync += args =>
            {
                received[name].Add(args.ApplicationMessage.ConvertPayloadToString());
                all.Signal();
                return Task.CompletedTask;
            };
            (await worker.SubscribeAsync($"$share/ingest/{topic}/#", MqttQualityOfServiceLevel.AtLeastOnce)).Items[0].IsSuccess.ShouldBeTrue();
        }

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => publisher.PublishAsync(Message($"{topic}/h{i}", $"{i}"))));

        all.Wait(Timeouts.Default).ShouldBeTrue();
        received["w1"].ShouldNotBeEmpty();
        received["w2"].ShouldNotBeEmpty();
        received.Values.SelectMany(b => b).Order().ShouldBe(Enumerable.Range(0, 100).Select(i => $"{i}").Order());
    }

    [Fact]
    public async Task UnsubscribeStopsDelivery()
    {
        var topic = BrokerExtensions.UniqueTopic("unsub");
        await using var subscriber = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync($"{topic}/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await subscriber.SubscribeAsync($"{topic}/sentinel", MqttQualityOfServiceLevel.AtLeastOnce);

        await subscriber.UnsubscribeAsync($"{topic}/#");
        await subscriber.PublishAsync(Message($"{topic}/gone", "should not arrive"));
        await subscriber.PublishAsync(Message($"{topic}/sentinel", "arrives"));

        (await collector.NextAsync()).ApplicationMessage.Topic.ShouldBe($"{topic}/sentinel");
    }

    [Fact]
    public async Task MessagesPublishedByMosquittoPubAreReceived()
    {
        var topic = BrokerExtensions.UniqueTopic("interop");
        await using var subscriber = await Broker.ConnectAsync();
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);

        await RunToolAsync("mosquitto_pub", "-h", Broker.Host, "-p", $"{Broker.Port}", "-t", topic, "-m", "from mosquitto_pub ✓", "-q", "1");

        var message = (await collector.NextAsync()).ApplicationMessage;
        message.ConvertPayloadToString().ShouldBe("from mosquitto_pub ✓");
        message.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);
    }

    [Fact]
    public async Task MessagesPublishedByThisClientAreReceivedByMosquittoSub()
    {
        var topic = BrokerExtensions.UniqueTopic("interop");
        // stdbuf: line-buffered stdout, so the debug line about SUBACK reaches us while it runs.
        var start = new ProcessStartInfo("stdbuf")
        {
            ArgumentList = { "-oL", "mosquitto_sub", "-h", Broker.Host, "-p", $"{Broker.Port}", "-t", topic, "-q", "1", "-C", "1", "-v", "-d" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var mosquittoSub = Process.Start(start)!;
        try
        {
            // With -d it reports the SUBACK; only then can a publish be delivered to it.
            string? line;
            while ((line = await mosquittoSub.StandardOutput.ReadLineAsync().WaitAsync(Timeouts.Default)) is not null && !line.Contains("SUBACK"))
            {
            }

            await using var publisher = await Broker.ConnectAsync();
            await publisher.PublishAsync(Message(topic, "to mosquitto_sub"));

            var output = await mosquittoSub.StandardOutput.ReadToEndAsync().WaitAsync(Timeouts.Default);
            await mosquittoSub.WaitForExitAsync().WaitAsync(Timeouts.Default);
            output.ShouldContain($"{topic} to mosquitto_sub");
            mosquittoSub.ExitCode.ShouldBe(0);
        }
        finally
        {
            if (!mosquittoSub.HasExited)
            {
                mosquittoSub.Kill();
            }
        }
    }

    private static async Task RunToolAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeouts.Default);
        process.ExitCode.ShouldBe(0, await error);
    }
}
