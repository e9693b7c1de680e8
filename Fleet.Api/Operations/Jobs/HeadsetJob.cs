using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;

namespace Fleet.Api.Operations.Jobs;

/// <summary>What should be open for one headset right now.</summary>
public abstract record Want(string Kind, string Message);

/// <summary>A task that should be open. A null <paramref name="DueAt"/> means "due from when it is opened".</summary>
public sealed record TaskWant(string Kind, string Message, DateTimeOffset? DueAt, TimeSpan OverdueAfter) : Want(Kind, Message);

public sealed record AlertWant(string Kind, string Message, string Severity) : Want(Kind, Message);

/// <summary>
/// A job whose work is per headset: it says which task and alert kinds it owns and, for a headset and a moment,
/// which of them should be open. <see cref="HeadsetReconciler"/> does the rest, for the periodic run and right after
/// commits that touched a headset.
/// </summary>
public abstract class HeadsetJob(HeadsetReconciler reconciler) : IFleetJob
{
    public virtual IReadOnlyList<string> OwnedTaskKinds => [];
    public virtual IReadOnlyList<string> OwnedAlertKinds => [];

    /// <summary>Changes to the headset itself that the job records (e.g. marking it offline), before its wants are read.</summary>
    public virtual void Apply(HeadsetContext headset, DateTimeOffset now, AuditTrail audit) { }

    public virtual IEnumerable<Want> Wants(HeadsetContext headset, DateTimeOffset now) => [];

    /// <summary>Why an open task or alert of <paramref name="kind"/> is no longer wanted: the close reason.</summary>
    public virtual string Resolution(string kind, HeadsetContext headset, DateTimeOffset now) => "The condition has ended.";

    public Task RunAsync(CancellationToken ct) => reconciler.RunAsync([this], headsetIds: null, ct);
}
