using Fleet.Api.Infrastructure.Writes;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Writes;

/// <summary>The write lock: one writer at a time, and a person's write ahead of queued ingestion batches.</summary>
public sealed class WriteLockTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task APersonsWriteGoesBeforeIngestionBatchesThatQueuedEarlier()
    {
        var gate = new WriteLock();
        await gate.EnterAsync(WritePriority.Background, CancellationToken.None); // a batch is running
        var order = new List<string>();
        var batch1 = Then(gate.EnterAsync(WritePriority.Background, CancellationToken.None), "batch 1", order);
        var batch2 = Then(gate.EnterAsync(WritePriority.Background, CancellationToken.None), "batch 2", order);
        var person = Then(gate.EnterAsync(WritePriority.Person, CancellationToken.None), "person", order);

        for (var i = 0; i < 3; i++)
        {
            var before = order.Count;
            gate.Release();
            await WaitUntil(() => order.Count == before + 1);
        }
        await Task.WhenAll(batch1, batch2, person).WaitAsync(Soon);
        order.ShouldBe(["person", "batch 1", "batch 2"]);
    }

    [Fact]
    public async Task ARunningBatchCanSeeThatAPersonIsWaitingButNotAnotherBatch()
    {
        var gate = new WriteLock();
        await gate.EnterAsync(WritePriority.Background, CancellationToken.None); // a batch is running
        var batch = gate.EnterAsync(WritePriority.Background, CancellationToken.None);
        gate.PersonWaiting.ShouldBeFalse();
        var person = gate.EnterAsync(WritePriority.Person, CancellationToken.None);
        gate.PersonWaiting.ShouldBeTrue();

        gate.Release();
        await person.WaitAsync(Soon);
        gate.PersonWaiting.ShouldBeFalse(); // the person holds the lock now; only the batch waits
        gate.Release();
        await batch.WaitAsync(Soon);
    }

    [Fact]
    public async Task OnlyOneWriterHoldsTheLockAtATime()
    {
        var gate = new WriteLock();
        var inside = 0;
        var most = 0;
        var writers = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await gate.EnterAsync(i % 3 == 0 ? WritePriority.Person : WritePriority.Background, CancellationToken.None);
            try
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
            finally
            {
                gate.Release();
            }
        }));
        await Task.WhenAll(writers).WaitAsync(Soon);
        most.ShouldBe(1);
    }

    [Fact]
    public async Task AWaiterThatGivesUpLeavesTheQueueAndTheLockStillPassesOn()
    {
        var gate = new WriteLock();
        await gate.EnterAsync(WritePriority.Person, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var givesUp = gate.EnterAsync(WritePriority.Person, cancel.Token);
        var waits = gate.EnterAsync(WritePriority.Background, CancellationToken.None);

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => givesUp.WaitAsync(Soon));
        waits.IsCompleted.ShouldBeFalse();
        gate.Release();
        await waits.WaitAsync(Soon); // handed to the one still waiting, not to the one that left
        gate.Release();
        await gate.EnterAsync(WritePriority.Background, CancellationToken.None).WaitAsync(Soon); // and free afterwards
    }

    private static async Task Then(Task entered, string who, List<string> order)
    {
        await entered;
        lock (order) order.Add(who);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Soon;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The lock was not handed on.");
            await Task.Delay(5);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
