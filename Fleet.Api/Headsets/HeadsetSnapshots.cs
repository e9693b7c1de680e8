using Fleet.Api.Infrastructure.Changes;

namespace Fleet.Api.Headsets;

/// <summary>
/// The last committed context of single headsets, for the readiness answer. Readiness is asked far more often than a
/// headset changes (every screen that shows one, the scheduler's every look), and under ingestion load its database
/// reads were most of its time. An entry is dropped the moment a commit touching its headset (or the catalog) is
/// published, synchronously and before any live page hears of it, so a page that re-reads after a notice never gets
/// the state the notice made stale. The rules still run on every request with the current time, so a kept context
/// never gives a stale time-based answer (hang time, contact time, the online window). Assignment never reads from
/// here: it decides on what it reads inside its write.
/// Another instance's catalog edit is not relayed as a notice; <see cref="MaxAge"/> bounds how long it can go unseen.
/// </summary>
public sealed class HeadsetSnapshots
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (HeadsetContext Context, long Stamp)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private long _generation;

    public HeadsetSnapshots(HeadsetChanges changes) => changes.Observe(Forget);

    /// <summary>The kept context, or one read through <paramref name="headsets"/> (asked for only then) and kept.</summary>
    public async Task<HeadsetContext?> FindAsync(string headsetId, Func<HeadsetReadModel> headsets, CancellationToken ct)
    {
        long generation;
        lock (_sync)
        {
            if (_entries.TryGetValue(headsetId, out var kept) && Environment.TickCount64 - kept.Stamp < MaxAge.TotalMilliseconds)
                return kept.Context;
            generation = _generation;
        }
        var read = await headsets().FindAsync(headsetId, track: false, ct);
        lock (_sync)
        {
            // A commit published while we read may not be in what we read: keep it only if nothing changed meanwhile.
            if (read is not null && generation == _generation) _entries[headsetId] = (read, Environment.TickCount64);
        }
        return read;
    }

    private void Forget(IReadOnlyList<string>? headsetIds)
    {
        lock (_sync)
        {
            _generation++;
            if (headsetIds is null) _entries.Clear();
            else foreach (var id in headsetIds) _entries.Remove(id);
        }
    }
}
