using Fleet.Agent.Core.Storage;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;

namespace Fleet.Agent.Core.Shown;

/// <summary>
/// What the headset shows its users: "ready" or "do not use, because ...". Fleet's retained state decides; the agent adds
/// only what it knows locally (a remote lock, or that Fleet has not told it anything yet: Fleet never assumes clean).
/// This is the JSON of the status file and of <c>GET /status</c>.
/// </summary>
public sealed record ShownState
{
    public const string ReadyVerdict = "ready";
    public const string DoNotUseVerdict = "do_not_use";
    public const string LockedCode = "locked";
    public const string UnknownCode = "state_unknown";

    public required string HeadsetId { get; init; }
    public required bool Ready { get; init; }

    /// <summary><see cref="ReadyVerdict"/> or <see cref="DoNotUseVerdict"/>.</summary>
    public required string Verdict { get; init; }

    /// <summary>One line for a person: "READY" or "DO NOT USE — It is dirty and must be cleaned before the next patient."</summary>
    public required string Message { get; init; }

    public string? Hygiene { get; init; }
    public required IReadOnlyList<Reason> Reasons { get; init; }
    public IReadOnlyList<Reason> Warnings { get; init; } = [];
    public required bool Locked { get; init; }

    /// <summary>The Fleet session the headset is handed out for, if any.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>Connected to the broker now.</summary>
    public required bool Online { get; init; }

    public required long OutboxDepth { get; init; }
    public required long EventsProduced { get; init; }
    public required long EventsAcknowledged { get; init; }
    public required long TelemetryThinned { get; init; }

    /// <summary>When Fleet decided the state shown (null: never heard from Fleet).</summary>
    public DateTimeOffset? StateAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public static ShownState Compose(string headsetId, StateMessage? state, bool locked, bool online, OutboxCounts outbox, DateTimeOffset now)
    {
        var reasons = new List<Reason>();
        if (locked) reasons.Add(new Reason(LockedCode, "It is locked by Fleet until it is unlocked."));
        if (state is null) reasons.Add(new Reason(UnknownCode, "Fleet has not confirmed its state yet."));
        else reasons.AddRange(state.Reasons);
        var ready = state is { Ready: true } && !locked;
        return new ShownState
        {
            HeadsetId = headsetId,
            Ready = ready,
            Verdict = ready ? ReadyVerdict : DoNotUseVerdict,
            Message = ready ? "READY" : "DO NOT USE — " + (reasons.Count == 0 ? "Fleet says it is not ready." : string.Join(" ", reasons.Select(r => r.Message))),
            Hygiene = state?.Hygiene,
            Reasons = reasons,
            Warnings = state?.Warnings ?? [],
            Locked = locked,
            SessionId = state?.SessionId,
            Online = online,
            OutboxDepth = outbox.Depth,
            EventsProduced = outbox.LastSeq,
            EventsAcknowledged = outbox.Acknowledged,
            TelemetryThinned = outbox.Thinned,
            StateAt = state?.At,
            UpdatedAt = now,
        };
    }

    /// <summary>Whether a person would see a difference (the outbox counters and times do not count).</summary>
    public bool LooksDifferentFrom(ShownState? other) =>
        other is null || other.Ready != Ready || other.Message != Message || other.Locked != Locked || other.SessionId != SessionId;
}
