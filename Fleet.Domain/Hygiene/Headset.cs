using Fleet.Domain.Catalog;

namespace Fleet.Domain.Hygiene;

/// <summary>
/// One physical headset and its hygiene state machine (product.md). Every transition takes the time it
/// happened; nothing here reads a clock. Fleet never assumes clean: a new headset starts Dirty.
/// </summary>
public sealed class Headset
{
    public required string Id { get; init; }
    public required string Serial { get; set; }
    public required string AssetTag { get; set; }
    public required string ModelId { get; set; }
    public required string WardId { get; set; }

    /// <summary>Start of service life, for the service-years lifetime dimension.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    public HygieneState Hygiene { get; private set; } = HygieneState.Dirty;
    public DateTimeOffset HygieneChangedAt { get; private set; }

    /// <summary>When the cleaning that made it Clean completed; the hang time counts from here.</summary>
    public DateTimeOffset? CleanedAt { get; private set; }

    /// <summary>Since when it has needed cleaning (null while Clean or InUse).</summary>
    public DateTimeOffset? DirtySince { get; private set; }

    /// <summary>The last moment it may have touched a person. A cleaning only counts if it started after this.</summary>
    public DateTimeOffset LastSoiledAt { get; private set; }

    /// <summary>The last session had contact precautions, so the next cleaning must be sporicidal.</summary>
    public bool SporicidalRequired { get; private set; }

    public Guid? ActiveCleaningId { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetiredNote { get; private set; }
    public DateTimeOffset? LastInspectionAt { get; set; }
    public DateTimeOffset? FacialInterfaceReplacedAt { get; private set; }

    public HeadsetCounters Counters { get; private set; } = new();
    public Telemetry Telemetry { get; private set; } = new();

    public bool Retired => RetiredAt is not null;

    public static Headset Register(string id, string serial, string assetTag, string modelId, string wardId, DateTimeOffset now) => new()
    {
        Id = id,
        Serial = serial,
        AssetTag = assetTag,
        ModelId = modelId,
        WardId = wardId,
        RegisteredAt = now,
        Hygiene = HygieneState.Dirty,
        HygieneChangedAt = now,
        DirtySince = now,
        LastSoiledAt = now,
    };

    /// <summary>The state as of <paramref name="now"/>: a Clean headset past its hang time is Expired even before a job records it.</summary>
    public HygieneState EffectiveHygiene(HygienePolicy policy, DateTimeOffset now) =>
        Hygiene == HygieneState.Clean && CleanExpiresAt(policy) <= now ? HygieneState.Expired : Hygiene;

    public DateTimeOffset? CleanExpiresAt(HygienePolicy policy) =>
        Hygiene is HygieneState.Clean or HygieneState.Expired && CleanedAt is { } at ? at + policy.HangTime : null;

    /// <summary>Since when it has needed cleaning, or null if it does not.</summary>
    public DateTimeOffset? NeedsCleaningSince(HygienePolicy policy, DateTimeOffset now) =>
        EffectiveHygiene(policy, now) switch
        {
            HygieneState.Dirty or HygieneState.Cleaning => DirtySince ?? HygieneChangedAt,
            HygieneState.Expired => DirtySince ?? CleanExpiresAt(policy),
            _ => null,
        };

    public DateTimeOffset? CleaningDueAt(HygienePolicy policy, DateTimeOffset now) =>
        NeedsCleaningSince(policy, now) + policy.CleaningDue;

    /// <summary>Records that the hang time has passed (the expiry job). Returns false when there is nothing to do.</summary>
    public bool Expire(HygienePolicy policy, DateTimeOffset now)
    {
        if (Hygiene != HygieneState.Clean || EffectiveHygiene(policy, now) != HygieneState.Expired) return false;
        var expiredAt = CleanExpiresAt(policy)!.Value;
        Move(HygieneState.Expired, expiredAt);
        DirtySince = expiredAt;
        return true;
    }

    /// <summary>Someone marks it dirty. A headset in a session becomes dirty when the session ends instead.</summary>
    public Refusal? MarkDirty(DateTimeOffset at)
    {
        if (Hygiene == HygieneState.InUse)
            return new(Codes.InUse, "It is in a session; it becomes dirty when the session ends.");
        Soil(at);
        return null;
    }

    /// <summary>The proximity sensor says it is on a face outside a session.</summary>
    public bool ReportWorn(DateTimeOffset at)
    {
        // In a session wearing is expected; during a cleaning the nurse's hands trip the sensor.
        if (Hygiene is HygieneState.InUse or HygieneState.Cleaning) return false;
        if (CleanedAt is { } cleaned && at <= cleaned) return false; // worn before the cleaning that followed
        var changed = Hygiene != HygieneState.Dirty;
        Soil(at);
        return changed;
    }

    public Refusal? BeginCleaning(Guid cleaningId, DateTimeOffset at)
    {
        if (Retired) return new(Codes.Retired, "It has been retired from service and is not cleaned for patients any more.");
        if (Hygiene == HygieneState.InUse) return new(Codes.InUse, "It is in a session; end the session before cleaning it.");
        DirtySince ??= at; // re-cleaning a clean headset takes it out of service meanwhile
        ActiveCleaningId = cleaningId;
        Move(HygieneState.Cleaning, at);
        return null;
    }

    /// <summary>Whether a cleaning that started at <paramref name="startedAt"/> covers the current soiling.</summary>
    public bool CleaningCoversCurrentState(DateTimeOffset startedAt, DateTimeOffset completedAt) =>
        Hygiene != HygieneState.InUse && startedAt >= LastSoiledAt && (CleanedAt is null || completedAt > CleanedAt);

    /// <summary>Applies a finished cleaning (valid or not) to the counters and, when it covers the current soiling, to the state.</summary>
    public void ApplyCleaning(Guid cleaningId, ProductClass method, DateTimeOffset startedAt, DateTimeOffset completedAt, bool valid, bool facialInterfaceReplaced)
    {
        // A late entry may predate the current facial interface: it then wore the old one, and an older
        // replacement must not reset the count of the newer interface.
        var onOldInterface = FacialInterfaceReplacedAt is { } replaced && completedAt < replaced;
        Counters.CountCleaning(method, facialInterfaceReplaced && !onOldInterface, wearsInterface: !onOldInterface);
        if (facialInterfaceReplaced && !onOldInterface) FacialInterfaceReplacedAt = completedAt;

        var wasActive = ActiveCleaningId == cleaningId;
        if (wasActive) ActiveCleaningId = null;

        if (valid && CleaningCoversCurrentState(startedAt, completedAt))
        {
            ActiveCleaningId = null; // a valid cleaning supersedes one still in progress
            CleanedAt = completedAt;
            DirtySince = null;
            SporicidalRequired = false;
            Move(HygieneState.Clean, completedAt);
        }
        else if (wasActive && Hygiene == HygieneState.Cleaning)
        {
            Move(HygieneState.Dirty, completedAt); // an invalid cleaning leaves it dirty
        }
    }

    /// <summary>
    /// The cleaning that made it clean turned out not to count (a correction found it invalid): it needs cleaning
    /// again from now. Returns false when that cleaning is no longer what its state rests on (it was used, or cleaned
    /// again since), because then the state already moved on.
    /// </summary>
    public bool RevokeCleaning(DateTimeOffset cleanedAt, bool sporicidalWasRequired, DateTimeOffset at)
    {
        if (Hygiene is not (HygieneState.Clean or HygieneState.Expired) || CleanedAt != cleanedAt) return false;
        if (sporicidalWasRequired) SporicidalRequired = true;
        DirtySince = at;
        Move(HygieneState.Dirty, at);
        return true;
    }

    /// <summary>A cleaning that was started and never finished (superseded, or marked dirty meanwhile).</summary>
    public void AbandonCleaning(Guid cleaningId, DateTimeOffset at)
    {
        if (ActiveCleaningId != cleaningId) return;
        ActiveCleaningId = null;
        if (Hygiene == HygieneState.Cleaning) Move(HygieneState.Dirty, at);
    }

    /// <summary>Hand-over to a patient. The assignment gate has already been passed.</summary>
    public void StartSession(DateTimeOffset at) => Move(HygieneState.InUse, at);

    public void EndSession(DateTimeOffset at, bool contactPrecautions, long wearSeconds)
    {
        Counters.Sessions++;
        Counters.WearSeconds += Math.Max(0, wearSeconds);
        if (contactPrecautions) SporicidalRequired = true;
        Soil(at);
    }

    public Refusal? Retire(DateTimeOffset at, string note)
    {
        if (Retired) return new(Codes.Conflict, "It is already retired.");
        if (Hygiene == HygieneState.InUse) return new(Codes.InUse, "It is in a session; end the session before retiring it.");
        RetiredAt = at;
        RetiredNote = note;
        return null;
    }

    private void Soil(DateTimeOffset at)
    {
        if (at > LastSoiledAt) LastSoiledAt = at;
        ActiveCleaningId = null;
        if (Hygiene == HygieneState.Dirty) return; // the due clock keeps running from the first soiling
        // Cleaning and Expired already needed cleaning, so their due clock keeps running too.
        DirtySince = Hygiene is HygieneState.Cleaning or HygieneState.Expired ? DirtySince ?? at : at;
        Move(HygieneState.Dirty, at);
    }

    private void Move(HygieneState to, DateTimeOffset at)
    {
        Hygiene = to;
        HygieneChangedAt = at;
    }
}
