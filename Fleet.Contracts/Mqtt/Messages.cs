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
