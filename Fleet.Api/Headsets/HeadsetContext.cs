using Fleet.Domain.Assignment;
using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using Fleet.Domain.Sessions;

namespace Fleet.Api.Headsets;

/// <summary>A headset with everything the rules need about it: its model, its ward's policy, its open session and holds.</summary>
public sealed record HeadsetContext(Headset Headset, HeadsetModel Model, Ward Ward, Session? OpenSession, IReadOnlyList<Flag> OpenFlags)
{
    public HygienePolicy Policy => Ward.Policy;

    public HygieneState Hygiene(DateTimeOffset now) => Headset.EffectiveHygiene(Policy, now);

    public GateResult Gate(int sessionMinutes, DateTimeOffset now) => AssignmentGate.Evaluate(new GateInput
    {
        Hygiene = Hygiene(now),
        InOpenSession = OpenSession is not null,
        OpenFlags = OpenFlags.Select(f => f.Kind).ToList(),
        Retired = Headset.Retired,
        BatteryPercent = Headset.Telemetry.BatteryPercent,
        ModelRuntimeMinutes = Model.BatteryRuntimeMinutes,
        FacialInterfaceCleanings = Headset.Counters.FacialInterfaceCleanings,
        FacialInterfaceRating = Model.FacialInterfaceRating,
        LastSeenAt = Headset.Telemetry.LastSeenAt,
        SessionMinutes = sessionMinutes,
        Policy = Policy,
        Now = now,
    });

    public LifetimeInput LifetimeInput(DateTimeOffset now) => new()
    {
        RegisteredAt = Headset.RegisteredAt,
        ServiceLifeYears = Model.ServiceLifeYears,
        BatteryCycles = Fleet.Domain.Hygiene.Telemetry.BatteryCycles(Headset.Counters.BatteryCycles, Headset.Telemetry.BatteryCycleCount),
        BatteryCycleRating = Model.BatteryCycleRating,
        FacialInterfaceCleanings = Headset.Counters.FacialInterfaceCleanings,
        FacialInterfaceRating = Model.FacialInterfaceRating,
        TotalCleanings = Headset.Counters.Cleanings,
        HousingCleaningRating = Model.HousingCleaningRating,
        Now = now,
    };

    public double LifetimeConsumed(DateTimeOffset now) => LifetimeCalculator.Consumed(LifetimeInput(now));
}
