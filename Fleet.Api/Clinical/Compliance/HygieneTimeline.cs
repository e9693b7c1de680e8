using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;

namespace Fleet.Api.Clinical.Compliance;

/// <summary>A time the headset needed cleaning: from becoming dirty to the valid cleaning that made it clean (null while open).</summary>
public sealed record DirtyPeriod(string HeadsetId, DateTimeOffset Start, DateTimeOffset? CleanedAt);

public sealed record TimelineInput
{
    public required string HeadsetId { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public required IReadOnlyList<Session> Sessions { get; init; }
    public required IReadOnlyList<CleaningRecord> Cleanings { get; init; }

    /// <summary>Soilings recorded only in the audit trail, such as being marked dirty.</summary>
    public required IReadOnlyList<DateTimeOffset> Soilings { get; init; }
    public required TimeSpan HangTime { get; init; }
    public required DateTimeOffset Now { get; init; }
}

public sealed record TimelineResult(IReadOnlyDictionary<Guid, bool> PrecededByValidCleaning, IReadOnlyList<DirtyPeriod> DirtyPeriods);

/// <summary>
/// Replays one headset's history at real times, with the state machine's rules: it starts Dirty at registration; a
/// session's end or a marking dirty soils it (a headset already dirty keeps the due clock of its first soiling); a valid
/// cleaning makes it Clean only when it started at or after the last soiling; a clean status expires after the hang time
/// (the ward's current one), which starts a new dirty period. A session that starts while the headset is not Clean
/// (possible only for sessions an agent reports outside the gate) was not preceded by a valid cleaning, and the dirty
/// period it interrupted goes on until a valid cleaning.
/// </summary>
public static class HygieneTimeline
{
    private enum Kind { Clean, SessionStart, Soil }

    // At equal times: a cleaning completing, then a hand-over, then a soiling.
    private readonly record struct Event(DateTimeOffset At, Kind Kind, DateTimeOffset CleaningStartedAt = default, Guid SessionId = default);

    private enum State { Dirty, Clean, InUse }

    public static TimelineResult Replay(TimelineInput i)
    {
        var events = i.Sessions.Select(s => new Event(s.StartedAt, Kind.SessionStart, SessionId: s.Id))
            .Concat(i.Sessions.Where(s => s.EndedAt is not null).Select(s => new Event(s.EndedAt!.Value, Kind.Soil)))
            .Concat(i.Cleanings.Where(c => c.Status == CleaningStatus.Valid && c.CompletedAt is not null)
                .Select(c => new Event(c.CompletedAt!.Value, Kind.Clean, c.StartedAt)))
            .Concat(i.Soilings.Select(at => new Event(at, Kind.Soil)))
            .Where(e => e.At >= i.RegisteredAt)
            .OrderBy(e => e.At).ThenBy(e => e.Kind);

        var state = State.Dirty;
        DateTimeOffset? dirtySince = i.RegisteredAt;
        var lastSoil = i.RegisteredAt;
        var cleanedAt = DateTimeOffset.MinValue;
        var preceded = new Dictionary<Guid, bool>();
        var periods = new List<DirtyPeriod>();

        void ExpireBy(DateTimeOffset t)
        {
            if (state != State.Clean || cleanedAt + i.HangTime > t) return;
            state = State.Dirty;
            dirtySince = cleanedAt + i.HangTime;
        }

        foreach (var e in events)
        {
            ExpireBy(e.At);
            switch (e.Kind)
            {
                case Kind.Soil:
                    if (e.At > lastSoil) lastSoil = e.At;
                    if (state == State.Dirty) break;
                    if (state == State.InUse && dirtySince is not null) { state = State.Dirty; break; }
                    state = State.Dirty;
                    dirtySince = e.At;
                    break;
                case Kind.Clean:
                    if (state == State.Dirty && e.CleaningStartedAt >= lastSoil)
                    {
                        periods.Add(new(i.HeadsetId, dirtySince!.Value, e.At));
                        state = State.Clean;
                        cleanedAt = e.At;
                        dirtySince = null;
                    }
                    else if (state == State.Clean && e.At > cleanedAt) cleanedAt = e.At;
                    break;
                case Kind.SessionStart:
                    preceded[e.SessionId] = state == State.Clean;
                    state = State.InUse;
                    break;
            }
        }
        ExpireBy(i.Now);
        if (state != State.Clean && dirtySince is { } open) periods.Add(new(i.HeadsetId, open, null));
        return new(preceded, periods);
    }
}
