using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Contracts.Api;
using static Fleet.Api.Operations.Jobs.Calendar;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// An agent silent for the ward's offline time (10 min) is marked offline (audited) and gets an offline alert, and
/// an offline_in_session alert while a patient has it. Hearing from it again closes both.
/// </summary>
public sealed class OfflineJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler)
{
    public override IReadOnlyList<string> OwnedAlertKinds => [AlertKinds.Offline, AlertKinds.OfflineInSession];

    public static bool Silent(HeadsetContext c, DateTimeOffset now) =>
        Fleet.Domain.Hygiene.Telemetry.IsSilent(c.Headset.Telemetry.LastSeenAt, now, c.Policy.OfflineAfter);

    public override void Apply(HeadsetContext c, DateTimeOffset now, AuditTrail audit)
    {
        var t = c.Headset.Telemetry;
        if (!t.Online || !Silent(c, now)) return;
        t.Online = false;
        audit.Record(Ledger.JobsActor, "headset.offline", "headset", c.Headset.Id,
            $"Not heard from since {When(c.Ward, t.LastSeenAt!.Value)} ({c.Policy.OfflineAfter.TotalMinutes:0} min or more).");
    }

    public override IEnumerable<Want> Wants(HeadsetContext c, DateTimeOffset now)
    {
        if (!Silent(c, now)) yield break;
        var since = When(c.Ward, c.Headset.Telemetry.LastSeenAt!.Value);
        yield return new AlertWant(AlertKinds.Offline, $"{c.Headset.Id} has not been heard from since {since}.", AlertSeverities.Warning);
        if (c.OpenSession is { } s)
            yield return new AlertWant(AlertKinds.OfflineInSession,
                $"{c.Headset.Id} went silent during session {s.Id} (last heard {since}); check on the patient's headset.", AlertSeverities.Critical);
    }

    public override string Resolution(string kind, HeadsetContext c, DateTimeOffset now) =>
        Silent(c, now) ? "The session ended." : $"Heard from again at {When(c.Ward, c.Headset.Telemetry.LastSeenAt!.Value)}.";
}

/// <summary>The device-health alerts of product.md: battery temperature, battery health, storage, lifetime.</summary>
public sealed class DeviceHealthJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler)
{
    public const double HotBatteryC = 45;
    public const int WornBatteryPercent = 80;
    public const long LowStorageMb = 1024;
    public const double HighLifetime = 0.9;

    public override IReadOnlyList<string> OwnedAlertKinds =>
        [AlertKinds.BatteryTemperature, AlertKinds.BatteryHealth, AlertKinds.StorageLow, AlertKinds.LifetimeHigh];

    public override IEnumerable<Want> Wants(HeadsetContext c, DateTimeOffset now)
    {
        var t = c.Headset.Telemetry;
        var id = c.Headset.Id;
        if (t.BatteryTemperatureC is >= HotBatteryC and var temp)
            yield return new AlertWant(AlertKinds.BatteryTemperature, $"{id}'s battery is at {temp:0.#} °C (limit {HotBatteryC:0} °C): take it off charge and out of use.", AlertSeverities.Critical);
        if (t.BatteryHealthPercent is < WornBatteryPercent and var health)
            yield return new AlertWant(AlertKinds.BatteryHealth, $"{id}'s battery health is {health} % (below {WornBatteryPercent} %): plan a battery replacement.", AlertSeverities.Warning);
        if (t.StorageFreeMb is < LowStorageMb and var free)
            yield return new AlertWant(AlertKinds.StorageLow, $"{id} has {free} MB of storage free (below 1 GB).", AlertSeverities.Warning);
        var lifetime = c.LifetimeConsumed(now);
        if (lifetime > HighLifetime)
            yield return new AlertWant(AlertKinds.LifetimeHigh, $"{id} has used {lifetime * 100:0} % of its rated lifetime: budget its replacement.", AlertSeverities.Warning);
    }

    public override string Resolution(string kind, HeadsetContext c, DateTimeOffset now)
    {
        var t = c.Headset.Telemetry;
        return kind switch
        {
            AlertKinds.BatteryTemperature => $"Battery temperature is {t.BatteryTemperatureC:0.#} °C.",
            AlertKinds.BatteryHealth => $"Battery health is {t.BatteryHealthPercent} %.",
            AlertKinds.StorageLow => $"Storage free is {t.StorageFreeMb} MB.",
            _ => $"Lifetime consumed is {c.LifetimeConsumed(now) * 100:0} %.",
        };
    }
}
