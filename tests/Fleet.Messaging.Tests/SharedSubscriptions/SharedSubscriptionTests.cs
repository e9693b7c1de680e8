using System.Collections.Concurrent;

namespace Fleet.Messaging.Tests.SharedSubscriptions;

/// <summary>Several API instances share the ingestion with <c>$share/group/filter</c>: each message goes to one of them.</summary>
[Collection(SharedMosquittoCollection.Name)]
public class SharedSubscriptionTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    [Fact]
    public async Task ASharedSubscriptionSplitsMessagesBetweenTwoMembersWithoutDuplicates()
    {
        const int count = 200;
        var topic = Mqtt.UniqueTopic("events");
        var received = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var total = 0;
        var members = new List<IMqttClient>();
        try
        {
            foreach (var name in new[] { "api-1", "api-2" })
            {
                var member = await Broker.ConnectAsync();
                members.Add(member);
                var mine = received[name] = new ConcurrentQueue<int>();
                member.ApplicationMessageReceivedAsync += e =>
                {
                    mine.Enqueue(int.Parse(e.Text()));
                    if (Interlocked.Increment(ref total) == count) all.TrySetResult();
                    return Task.CompletedTask;
                };
                await member.SubscribeAtLeastOnceAsync($"$share/fleet-api/{topic}/+/events");
            }

            using var publisher = await Broker.ConnectAsync();
            for (var i = 0; i < count; i++) await publisher.PublishAtLeastOnceAsync($"{topic}/h{i % 7}/events", $"{i}");
            await all.Task.WaitAsync(Timeouts.Default);

            received["api-1"].ShouldNotBeEmpty();
            received["api-2"].ShouldNotBeEmpty();
            received.Values.SelectMany(q => q).Order().ShouldBe(Enumerable.Range(0, count), "every message exactly once");
        }
        finally
        {
            foreach (var member in members) member.Dispose();
        }
    }
}
