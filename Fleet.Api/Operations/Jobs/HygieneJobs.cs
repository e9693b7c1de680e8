using Fleet.Api.Headsets;
using Fleet.Contracts.Api;
using Fleet.Domain.Hygiene;
using static Fleet.Api.Operations.Jobs.Calendar;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Clean -> Expired once the hang time has passed (product.md hygiene rule 4). The reconciler's tracked load records
/// it (<see cref="HeadsetReadModel"/>, audited as system:hang-time) and the commit publishes the change, so this job
/// owns no task or alert of its own: the expired headset's cleaning is due through <see cref="CleaningDueJob"/>.
/// </summary>
public sealed class ExpiryJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler);

/// <summary>
/// A headset that needs cleaning has a cleaning_due task, due the ward's cleaning-due time after it became Dirty
/// (rule 6). Past that it is overdue: the task says so, a cleaning_overdue alert opens, and the headset is
/// republished so it shows "needs cleaning". A valid cleaning closes both.
/// </summary>
public sealed class CleaningDueJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler)
{
    public override IReadOnlyList<string> OwnedTaskKinds => [TaskKinds.CleaningDue];
    public override IReadOnlyList<string> OwnedAlertKinds => [AlertKinds.CleaningOverdue];

    public override IEnumerable<Want> Wants(HeadsetContext c, DateTimeOffset now)
    {
        if (c.Headset.NeedsCleaningSince(c.Policy, now) is not { } since) yield break;
        var due = since + c.Policy.CleaningDue;
        yield return new TaskWant(TaskKinds.CleaningDue, $"{c.Headset.Id} has needed cleaning since {When(c.Ward, since)}; clean it by {When(c.Ward, due)}.", due, TimeSpan.Zero);
        if (now >= due)
            yield return new AlertWant(AlertKinds.CleaningOverdue, $"{c.Headset.Id} was due for cleaning at {When(c.Ward, due)} and has not been cleaned.", AlertSeverities.Warning);
    }

    public override string Resolution(string kind, HeadsetContext c, DateTimeOffset now) =>
        c.Headset.Hygiene == HygieneState.Clean && c.Headset.CleanedAt is { } at
            ? $"A valid cleaning completed at {When(c.Ward, at)} made it Clean."
            : "It no longer needs cleaning.";
}

/// <summary>The facial interface or liner has had its rated number of cleanings (rule 7): replace it. Closed when a cleaning records the replacement.</summary>
public sealed class FacialInterfaceJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler)
{
    /// <summary>The headset is blocked (facial_interface_worn) meanwhile; a day is enough to fit a spare.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    public override IReadOnlyList<string> OwnedTaskKinds => [TaskKinds.FacialInterfaceReplacement];

    public override IEnumerable<Want> Wants(HeadsetContext c, DateTimeOffset now)
    {
        var used = c.Headset.Counters.FacialInterfaceCleanings;
        if (used < c.Model.FacialInterfaceRating) yield break;
        yield return new TaskWant(TaskKinds.FacialInterfaceReplacement,
            $"{c.Headset.Id}'s facial interface has had {used} cleanings, its rating is {c.Model.FacialInterfaceRating}: replace it.", null, Grace);
    }

    public override string Resolution(string kind, HeadsetContext c, DateTimeOffset now) =>
        c.Headset.FacialInterfaceReplacedAt is { } at
            ? $"The facial interface was replaced at {When(c.Ward, at)}; it has {c.Headset.Counters.FacialInterfaceCleanings} of {c.Model.FacialInterfaceRating} cleanings."
            : $"The facial interface has {c.Headset.Counters.FacialInterfaceCleanings} of {c.Model.FacialInterfaceRating} cleanings.";
}

/// <summary>Biomedical preventive inspection every 180 days from the last one (or from registration). Closed by recording an inspection.</summary>
public sealed class InspectionJob(HeadsetReconciler reconciler) : HeadsetJob(reconciler)
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(180);
    public static readonly TimeSpan Grace = TimeSpan.FromDays(14);

    public override IReadOnlyList<string> OwnedTaskKinds => [TaskKinds.Inspection];

    public static DateTimeOffset DueAt(Headset h) => (h.LastInspectionAt ?? h.RegisteredAt) + Interval;

    public override IEnumerable<Want> Wants(HeadsetContext c, DateTimeOffset now)
    {
        var due = DueAt(c.Headset);
        if (now < due) yield break;
        yield return new TaskWant(TaskKinds.Inspection,
            $"{c.Headset.Id} is due its 180-day preventive inspection ({When(c.Ward, due)}); overdue after {When(c.Ward, due + Grace)}.", due, Grace);
    }

    public override string Resolution(string kind, HeadsetContext c, DateTimeOffset now) =>
        c.Headset.LastInspectionAt is { } at ? $"Inspected at {When(c.Ward, at)}; next due {When(c.Ward, DueAt(c.Headset))}." : "No longer due.";
}
