using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fleet.Api.Infrastructure.Changes;

/// <summary>
/// In-process notice of which headsets changed, published after each commit. Live pages (SSE) and the
/// MQTT state publisher listen here; they re-read the database, so a notice carries ids, not state.
/// </summary>
public sealed class HeadsetChanges
{
    private readonly ConcurrentDictionary<Guid, Channel<IReadOnlyList<string>>> _subscribers = new();

    public void Publish(IReadOnlyList<string> headsetIds)
    {
        if (headsetIds.Count == 0) return;
        foreach (var channel in _subscribers.Values) channel.Writer.TryWrite(headsetIds);
    }

    public async IAsyncEnumerable<IReadOnlyList<string>> Subscribe([EnumeratorCancellation] CancellationToken ct)
    {
        // A subscriber that falls far behind loses the oldest notices rather than holding memory forever;
        // listeners treat a notice as "re-read these", so the next one brings them up to date.
        var channel = Channel.CreateBounded<IReadOnlyList<string>>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        _subscribers[id] = channel;
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var ids)) yield return ids;
            }
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }
}
