using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Domain.Hygiene;

namespace Fleet.Api.Broker;

/// <summary>What a headset should show: the gate's verdict, plus "needs cleaning" once its cleaning is overdue.</summary>
public static class HeadsetStateMessages
{
    public const string CleaningOverdue = "cleaning_overdue";

    public static StateMessage Build(HeadsetContext c, DateTimeOffset now)
    {
        var gate = c.Gate(HygienePolicy.DefaultSessionMinutes, now);
        var reasons = gate.Reasons.Select(Problems.ToReason).ToList();
        if (c.Headset.CleaningDueAt(c.Policy, now) is { } due && due < now)
            reasons.Insert(0, new Reason(CleaningOverdue, $"Needs cleaning: it has been due since {due:HH:mm} UTC."));
        return new StateMessage(gate.Ready, c.Hygiene(now).ToString(), reasons, now)
        {
            Warnings = gate.Warnings.Select(Problems.ToReason).ToList(),
            SessionId = c.OpenSession?.Id,
        };
    }

    /// <summary>Two states are the same for the headset if everything but the timestamp matches.</summary>
    public static string Fingerprint(StateMessage m) =>
        $"{m.Ready}|{m.Hygiene}|{m.SessionId}|{string.Join(";", m.Reasons.Select(r => r.Code + ":" + r.Message))}|{string.Join(";", m.Warnings.Select(w => w.Code))}";
}
