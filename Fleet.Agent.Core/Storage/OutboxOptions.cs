namespace Fleet.Agent.Core.Storage;

/// <summary>How hard the outbox works to keep a committed event across a crash.</summary>
public enum OutboxDurability
{
    /// <summary>SQLite <c>synchronous=FULL</c>: every commit is on disk before it returns; survives power loss. The default.</summary>
    Full,

    /// <summary>
    /// SQLite <c>synchronous=NORMAL</c> in WAL mode: survives the process being killed (the operating system still has the
    /// write), may lose the last commits on power loss. The simulator uses it: a thousand virtual headsets share one disk.
    /// </summary>
    Normal,
}

/// <summary>Size bound and storage settings of an <see cref="Outbox"/>.</summary>
public sealed record OutboxOptions
{
    /// <summary>
    /// The bound. When an append would pass it, telemetry (heartbeat, battery, device.info) is thinned; worn, session,
    /// cleaning, comfort and command-result events are never dropped, so with only those left the outbox grows past it.
    /// </summary>
    public int MaxEvents { get; init; } = 10_000;

    /// <summary>Thinning brings the depth back to this share of <see cref="MaxEvents"/>, so it does not run on every append.</summary>
    public double ThinToFraction { get; init; } = 0.9;

    public OutboxDurability Durability { get; init; } = OutboxDurability.Full;

    /// <summary>SQLite page cache per outbox.</summary>
    public int CacheKiB { get; init; } = 128;

    /// <summary>
    /// SQLite page size of a NEW outbox file (an existing one keeps its own). 4096 suits a headset; the simulator uses
    /// 1024 with a 4 KiB cache, which brings an open outbox from about 140 KB of memory to about 75 KB.
    /// </summary>
    public int PageSize { get; init; } = 4096;
}
