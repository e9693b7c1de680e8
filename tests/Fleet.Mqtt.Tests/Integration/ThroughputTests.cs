using System.Diagnostics;
using System.Threading.Channels;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Tests.Support;
using Fleet.Testing.Broker;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Fleet.Mqtt.Tests.Integration;

/// <summary>Load as the ingestion API will see it: many concurrent QoS 1 publishes, a subscriber acknowledging in batches.</summary>
public class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ManyQos1MessagesFlowEndToEndWithBatchAcknowledgements()
    {
        const int count = 30_000;
        const int batchSize = 500;
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            ExtraConfig = [$"max_inflight_messages {batchSize * 2}", "max_queued_messages 100000"],
        });
        await using var subscriber = await broker.ConnectAsync(broker.ClientOptions().WithCleanSession(false).Build());
        var received = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();
        subscriber.ApplicationMessageReceivedAsync += args =>
        {
            args.AutoAcknowledge = false; // acknowledged after the batch "commit" below
            received.Writer.TryWrite(args);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync("load/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await using var publisher = await broker.ConnectAsync();
        var payload = new byte[100];

        var watch = Stopwatch.StartNew();
        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            publisher.PublishAsync(new MqttApplicationMessage { Topic = $"load/{i % 10}", Payload = payload, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce })));

        var seen = 0;
        var batch = new List<MqttApplicationMessageReceivedEventArgs>(batchSize);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (seen < count)
        {
            batch.Add(await received.Reader.ReadAsync(timeout.Token));
            while (batch.Count < batchSize && received.Reader.TryRead(out var more))
            {
                batch.Add(more);
            }

            seen += batch.Count;
            foreach (var message in batch)
            {
                await message.AcknowledgeAsync();
            }

            batch.Clear();
        }

        await publishing.WaitAsync(Timeouts.Default);
        var rate = count / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{count} QoS 1 messages published, received and acknowledged in {watch.ElapsedMilliseconds} ms: {rate:N0} msg/s");
        seen.ShouldBe(count);
        received.Reader.TryRead(out _).ShouldBeFalse("no duplicates expected without reconnects");
        publisher.PendingPublishCount.ShouldBe(0);
    }
}
