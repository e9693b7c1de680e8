using Fleet.Contracts.Api;

namespace Fleet.Contracts.Mqtt;

/// <summary>Retained on <c>status</c>; the agent's Last Will is the same with Online = false.</summary>
public sealed record StatusMessage(bool Online, DateTimeOffset? At);

/// <summary>Retained on <c>state</c>: what the headset should show ("ready" or "do not use, because ...").</summary>
public sealed record StateMessage(bool Ready, string Hygiene, IReadOnlyList<Reason> Reasons, DateTimeOffset At)
{
    public IReadOnlyList<Reason> Warnings { get; init; } = [];

    /// <summary>The open session the headset is handed out for, so the agent can tag its session events with it.</summary>
    public Guid? SessionId { get; init; }
}

/// <summary>A command to one headset; an agent drops it once <see cref="ExpiresAt"/> has passed.</summary>
public sealed record CommandMessage(Guid Id, string Command, DateTimeOffset ExpiresAt);

public static class Commands
{
    public const string Identify = "identify";
    public const string Lock = "lock";
    public const string Unlock = "unlock";
    public const string Sync = "sync";

    public static readonly IReadOnlyList<string> All = [Identify, Lock, Unlock, Sync];
}

/// <summary>
/// API -> one agent, on its <c>confirmed</c> topic: every seq up to <see cref="UpTo"/>, and every seq inside one of
/// <see cref="Ranges"/> (each <c>[from, to]</c>), is committed by the API (stored, or dead-lettered with its reason).
/// The agent deletes an event from its outbox only once a confirmation covers it.
/// </summary>
public sealed record ConfirmedMessage(long UpTo, IReadOnlyList<long[]>? Ranges, DateTimeOffset At)
{
    public bool Covers(long seq)
    {
        if (seq <= UpTo) return true;
        if (Ranges is null) return false;
        foreach (var r in Ranges)
            if (r.Length == 2 && r[0] <= seq && seq <= r[1]) return true;
        return false;
    }
}
