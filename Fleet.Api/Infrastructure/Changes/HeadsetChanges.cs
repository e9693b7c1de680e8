using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fleet.Api.Infrastructure.Changes;

/// <summary>
/// In-process notice of which headsets changed, published after each commit. Live pages (SSE) and the
/// MQTT state publisher listen here; they re-read the database, so a notice carries ids, not state.
/// With several instances on one PostgreSQL, commits of the other instances arrive too (<see cref="PostgresChangeRelay"/>),
/// but only for subscribers that ask for them: the live stream must show every change, while the state publisher and
/// the reconciler act for their own instance's commits only (the instance that committed does that work once).
/// </summary>
public sealed class HeadsetChanges
{
    private readonly ConcurrentDictionary<Guid, (Channel<IReadOnlyList<string>> Channel, bool Remote)> _subscribers = new();
    private volatile Action<IReadOnlyList<string>?>[] _observers = [];
    private readonly Lock _observing = new();

    /// <summary>This instance, in the notices it sends to the others (so it can tell its own when they come back).</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Changes committed by this instance.</summary>
    public void Publish(IReadOnlyList<string> headsetIds) => Send(headsetIds, remote: false);

    /// <summary>Changes committed by another instance, relayed through the database.</summary>
    public void PublishRemote(IReadOnlyList<string> headsetIds) => Send(headsetIds, remote: true);

    /// <summary>A commit changed the catalog (a ward's policy, a model's ratings), which every headset's rules read.</summary>
    public void PublishCatalogChange()
    {
        foreach (var observer in _observers) observer(null);
    }

    /// <summary>
    /// Runs <paramref name="observer"/> synchronously on every notice, local or remote, BEFORE any subscriber hears of it
    /// (null: everything changed). For caches of committed state: a live page that re-reads after a notice must never be
    /// answered from what the notice made stale.
    /// </summary>
    public void Observe(Action<IReadOnlyList<string>?> observer)
    {
        lock (_observing) _observers = [.. _observers, observer];
    }

    private void Send(IReadOnlyList<string> headsetIds, bool remote)
    {
        if (headsetIds.Count == 0) return;
        foreach (var observer in _observers) observer(headsetIds);
        foreach (var (channel, wantsRemote) in _subscribers.Values)
        {
            if (!remote || wantsRemote) channel.Writer.TryWrite(headsetIds);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<string>> Subscribe([EnumeratorCancellation] CancellationToken ct, bool includeOtherInstances = false)
    {
        // A subscriber that falls far behind loses the oldest notices rather than holding memory forever;
        // listeners treat a notice as "re-read these", so the next one brings them up to date.
        var channel = Channel.CreateBounded<IReadOnlyList<string>>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        _subscribers[id] = (channel, includeOtherInstances);
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
