using System.Collections.Concurrent;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Tests.Support;
using Fleet.Testing.Broker;
using Shouldly;
using Xunit;
using static Fleet.Mqtt.Tests.Support.ClientHelpers;

namespace Fleet.Mqtt.Tests.Integration;

/// <summary>Each test owns a persistent broker it can stop and restart on the same port.</summary>
public class BrokerRestartTests : IAsyncLifetime
{
    private static readonly ResilientMqttClientOptions FastReconnect = new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        MaxWaitForConnection = TimeSpan.FromSeconds(15),
    };

    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
    {
        Persistence = true,
        ExtraConfig = ["max_inflight_messages 100", "max_queued_messages 100000"],
    });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private ResilientMqttClient Resilient(string clientId) =>
        new(_broker.ClientOptions(clientId).WithCleanSession(false).WithKeepAlivePeriod(TimeSpan.FromSeconds(5)).Build(), FastReconnect);

    [Fact]
    public async Task EveryPublishCompletesAndIsReceivedAcrossABrokerRestart()
    {
        const int count = 3_000;
        var topic = BrokerExtensions.UniqueTopic("restart");
        await using var subscriber = Resilient("restart-sub");
        var received = new ConcurrentDictionary<int, int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += args =>
        {
            received.AddOrUpdate(int.Parse(args.ApplicationMessage.ConvertPayloadToString()), 1, (_, n) => n + 1);
            if (received.Count == count)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeouts.Default);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await using var publisher = Resilient("restart-pub");
        var reconnected = 0;
        publisher.ConnectedAsync += _ =>
        {
            Interlocked.Increment(ref reconnected);
            return Task.CompletedTask;
        };
        await publisher.StartAsync();
        await publisher.WaitUntilConnectedAsync().WaitAsync(Timeouts.Default);

        var completedBeforeRestart = new TaskCompletionSource();
        var completed = 0;
        var publishes = Enumerable.Range(0, count).Select(async i =>
        {
            var result = await publisher.PublishAsync(Message(topic, $"{i}"));
            if (Interlocked.Increment(ref completed) == count / 3)
            {
                completedBeforeRestart.TrySetResult();
            }

            return result;
        }).ToArray();

        await completedBeforeRestart.Task.WaitAsync(Timeouts.Default);
        await _broker.RestartAsync();

        var results = await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(30));
        results.ShouldAllBe(r => r.IsSuccess);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        received.Keys.Order().ShouldBe(Enumerable.Range(0, count));
        reconnected.ShouldBeGreaterThanOrEqualTo(2, "the publisher never lost its connection, so the restart tested nothing");
    }

    [Fact]
    public async Task PublishIssuedWhileTheBrokerIsDownWaitsAndCompletesAfterItReturns()
    {
        var topic = BrokerExtensions.UniqueTopic("down");
        await using var publisher = Resilient("down-pub");
        var disconnected = new TaskCompletionSource();
        publisher.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await publisher.StartAsync();
        await publisher.WaitUntilConnectedAsync().WaitAsync(Timeouts.Default);
        await using var subscriber = Resilient("down-sub");
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        await subscriber.StartAsync();
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await _broker.StopAsync();
        await disconnected.Task.WaitAsync(Timeouts.Default);
        publisher.IsConnected.ShouldBeFalse();
        var publish = publisher.PublishAsync(Message(topic, "queued while down"));
        var ping = Task.Delay(200);
        (await Task.WhenAny(publish, ping)).ShouldBe(ping, "the publish must wait, not fail");

        await _broker.StartAsync();

        (await publish.WaitAsync(Timeouts.Default)).IsSuccess.ShouldBeTrue();
        (await collector.NextAsync(TimeSpan.FromSeconds(15))).ApplicationMessage.ConvertPayloadToString().ShouldBe("queued while down");
    }

    [Fact]
    public async Task ResilientClientResubscribesWhenTheBrokerHasLostTheSession()
    {
        var topic = BrokerExtensions.UniqueTopic("lost");
        await using var subscriber = Resilient("lost-sub");
        var collector = new MessageCollector();
        subscriber.ApplicationMessageReceivedAsync += collector.HandleAsync;
        var sessions = new ConcurrentQueue<bool>();
        subscriber.ConnectedAsync += args =>
        {
            sessions.Enqueue(args.ConnectResult.IsSessionPresent);
            return Task.CompletedTask;
        };
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeouts.Default);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());

        // SIGKILL: nothing is saved, so the broker comes back without the session or its subscription.
        await _broker.KillAsync();
        await _broker.StartAsync();
        await using var publisher = await _broker.ConnectAsync();
        await WaitUntilAsync(() => sessions.Count >= 2 && subscriber.IsConnected);

        await publisher.PublishAsync(Message(topic, "after crash"));

        (await collector.NextAsync()).ApplicationMessage.ConvertPayloadToString().ShouldBe("after crash");
        sessions.ShouldBe([false, false]);
    }

    [Fact]
    public async Task ConnectingFailuresBackOffUntilTheBrokerIsBack()
    {
        await _broker.StopAsync();
        await using var client = Resilient("backoff");
        var failures = new ConcurrentQueue<ConnectingFailedEventArgs>();
        client.ConnectingFailedAsync += args =>
        {
            failures.Enqueue(args);
            return Task.CompletedTask;
        };

        await client.StartAsync();
        await WaitUntilAsync(() => failures.Count >= 4);
        await _broker.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(Timeouts.Default);

        var attempts = failures.ToArray();
        attempts.Select(a => a.AttemptNumber).Take(4).ShouldBe([0, 1, 2, 3]);
        attempts.ShouldAllBe(a => a.RetryDelay <= FastReconnect.MaxReconnectDelay);
        attempts.ShouldAllBe(a => a.Exception is MqttCommunicationException);
        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task PlainClientResumesItsPersistentSessionAfterABrokerRestart()
    {
        var topic = BrokerExtensions.UniqueTopic("plain");
        var options = _broker.ClientOptions("plain-pub").WithCleanSession(false).Build();
        await using var client = new MqttClient();
        await client.ConnectAsync(options);
        var disconnected = client.NextDisconnect();

        await _broker.StopAsync();
        (await disconnected).Reason.ShouldBe(MqttClientDisconnectReason.ConnectionClosedByServer);
        await Should.ThrowAsync<MqttClientNotConnectedException>(() => client.PublishAsync(Message(topic, "x")));

        await _broker.StartAsync();
        (await client.ConnectAsync(options)).IsSessionPresent.ShouldBeTrue();
        (await client.PublishAsync(Message(topic, "after restart"))).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task CallsWaitingForAConnectionTimeOutOrFailWhenStopped()
    {
        await _broker.StopAsync();
        await using var client = new ResilientMqttClient(
            _broker.ClientOptions("waiting").WithCleanSession(false).Build(),
            FastReconnect with { MaxWaitForConnection = TimeSpan.FromMilliseconds(300) });
        await Should.ThrowAsync<InvalidOperationException>(() => client.PublishAsync(Message("t", "before start")));
        await client.StartAsync();

        await Should.ThrowAsync<MqttCommunicationTimedOutException>(() => client.PublishAsync(Message("t", "times out")));

        var waiting = client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("t").Build());
        await client.StopAsync();
        await Should.ThrowAsync<MqttClientNotConnectedException>(() => waiting);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
