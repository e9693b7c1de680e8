using System.Text;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Ingestion;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>
/// An ingestion batch under load can hold the write lock for tens of milliseconds. When a person's write queues behind
/// it (an assignment at the gate), the batch commits what it has applied so far and lets the person go first; the rest
/// of the batch follows in the next transaction, in order, and nothing is lost or applied twice.
/// </summary>
public sealed class YieldToPeopleTests : IDisposable
{
    private const int BatchSize = 1000;
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ABatchCommitsWhatItHasAppliedWhenAPersonQueuesAndTheRestFollowsInOrder()
    {
        var batch = Batteries("HS-0001", BatchSize);
        int firstPart;
        await using (var blockerScope = _app.Services.CreateAsyncScope())
        await using (var batchScope = _app.Services.CreateAsyncScope())
        await using (var personScope = _app.Services.CreateAsyncScope())
        {
            // Another background write holds the lock, so the batch queues; once it has the lock, a person queues.
            var blocker = await blockerScope.ServiceProvider.GetRequiredService<Writes>().BeginBackgroundAsync(CancellationToken.None);
            var processing = batchScope.ServiceProvider.GetRequiredService<IngestProcessor>().ProcessAsync(batch, CancellationToken.None);
            await blocker.DisposeAsync();
            var person = await personScope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(10));

            // The person has the lock, so the batch has let it go: it committed only its first part (it may still be
            // returning on its own thread, but it needs the lock for nothing more).
            firstPart = await processing.WaitAsync(TimeSpan.FromSeconds(10));
            firstPart.ShouldBeInRange(1, BatchSize - 1);
            Console.WriteLine($"The batch committed {firstPart} of {BatchSize} messages before the person's write.");
            StoredSeqs("HS-0001").ShouldBe(Enumerable.Range(1, firstPart).Select(i => (long)i));
            await person.DisposeAsync();
        }

        await using (var rest = _app.Services.CreateAsyncScope())
            (await rest.ServiceProvider.GetRequiredService<IngestProcessor>().ProcessAsync(batch.Skip(firstPart).ToList(), CancellationToken.None))
                .ShouldBe(BatchSize - firstPart);

        StoredSeqs("HS-0001").ShouldBe(Enumerable.Range(1, BatchSize).Select(i => (long)i));
        foreach (var m in batch) m.Dispose();
    }

    [Fact]
    public async Task WithNobodyWaitingTheWholeBatchIsOneTransaction()
    {
        var batch = Batteries("HS-0002", 200);
        await using (var scope = _app.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<IngestProcessor>().ProcessAsync(batch, CancellationToken.None)).ShouldBe(200);
        StoredSeqs("HS-0002").Count.ShouldBe(200);
        foreach (var m in batch) m.Dispose();
    }

    private List<ParsedMessage> Batteries(string headsetId, int count)
    {
        var topics = _app.Services.GetRequiredService<IOptions<BrokerOptions>>().Value.Topics;
        var at = _app.Time.GetUtcNow();
        return [.. Enumerable.Range(1, count).Select(seq => ParsedMessage.Parse(
            new IncomingMessage(topics.Events(headsetId),
                Encoding.UTF8.GetBytes(BrokerApp.Event(headsetId, seq, EventTypes.Battery, new { percent = 80, charging = false }, at.AddSeconds(seq - count))), at),
            topics))];
    }

    private List<long> StoredSeqs(string headsetId)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"""SELECT "Seq" FROM ingested_events WHERE "HeadsetId" = '{headsetId}' ORDER BY "Seq" """;
        using var reader = cmd.ExecuteReader();
        var seqs = new List<long>();
        while (reader.Read()) seqs.Add(reader.GetInt64(0));
        return seqs;
    }
}
