using System.Globalization;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;

namespace Fleet.Domain.Cleaning;

/// <summary>What a finished cleaning needs to be judged (product.md, hygiene rules 2, 3 and 5).</summary>
public sealed record CleaningFacts
{
    public required DisinfectantProduct Product { get; init; }
    public required HeadsetModel Model { get; init; }
    public required bool SporicidalRequired { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>For a UV-C cycle reported by a cabinet: whether the cycle ran to the end.</summary>
    public bool? CycleCompleted { get; init; }

    /// <summary>For a UV-C cycle: whether a valid wipe was done since the headset was last soiled.</summary>
    public bool WipedSinceSoiled { get; init; }

    public required HygienePolicy Policy { get; init; }

    /// <summary>The contact time the cleaning was started under, when it differs from today's catalogue.</summary>
    public int? ContactSecondsAtStart { get; init; }

    public TimeSpan ContactTime => ContactSecondsAtStart is { } s ? TimeSpan.FromSeconds(s) : Product.ContactTime;
}

/// <summary>Cleaning validity as plain rules. Nothing here reads a clock or a database.</summary>
public static class CleaningRules
{
    /// <summary>The checks that can be made before anyone starts wiping: is this product right for this headset now?</summary>
    public static IReadOnlyList<Refusal> CheckProduct(DisinfectantProduct product, HeadsetModel model, bool sporicidalRequired)
    {
        var problems = new List<Refusal>();
        if (!product.Active)
            problems.Add(new(Codes.ProductInactive, $"{product.Name} has been withdrawn from the disinfectant catalogue."));
        if (!model.Allows(product.Class))
            problems.Add(new(Codes.ProductNotAllowedForModel,
                $"The maker of the {model.Name} does not allow {product.Class.Describe()} cleaning; choose another product."));
        if (sporicidalRequired && !product.Sporicidal)
            problems.Add(new(Codes.SporicidalRequired,
                $"The last patient was on contact precautions, so a sporicidal product is required; {product.Name} is not sporicidal."));
        return problems;
    }

    /// <summary>The earliest moment a cleaning started at <paramref name="startedAt"/> may be completed: its contact time later.</summary>
    public static DateTimeOffset EarliestCompletion(DateTimeOffset startedAt, TimeSpan contactTime) => startedAt + contactTime;

    /// <summary>The contact-time comparison: the surfaces stayed wet at least as long as the product needs.</summary>
    public static bool ContactTimeMet(DateTimeOffset startedAt, DateTimeOffset completedAt, TimeSpan contactTime) =>
        completedAt >= EarliestCompletion(startedAt, contactTime);

    /// <summary>Every reason the finished cleaning is invalid; empty means valid.</summary>
    public static IReadOnlyList<Refusal> Evaluate(CleaningFacts f)
    {
        var problems = CheckProduct(f.Product, f.Model, f.SporicidalRequired).ToList();
        var lasted = f.CompletedAt - f.StartedAt;
        if (f.CycleCompleted == false)
            problems.Add(new(Codes.UvCycleIncomplete, "The UV-C cycle did not run to the end."));
        if (!ContactTimeMet(f.StartedAt, f.CompletedAt, f.ContactTime))
            problems.Add(ContactTimeNotMet(f.Product, lasted, f.ContactTime));
        if (f.Product.Class == ProductClass.UvcCabinet && f.Policy.RequireWipeBeforeUv && !f.WipedSinceSoiled)
            problems.Add(new(Codes.WipeRequiredBeforeUv, "This ward requires a wipe before a UV-C cycle, and none was recorded."));
        return problems;
    }

    public static Refusal ContactTimeNotMet(DisinfectantProduct product, TimeSpan lasted, TimeSpan? contactTime = null) =>
        new(Codes.ContactTimeNotMet,
            $"{product.Name} must stay wet for {Seconds(contactTime ?? product.ContactTime)}; this cleaning lasted {Seconds(lasted)}.");

    /// <summary>Late-entry rule: up to the window late is accepted (and marked late); beyond is refused; the future is refused.</summary>
    public static Refusal? CheckEntryTime(DateTimeOffset occurredAt, DateTimeOffset now, HygienePolicy policy)
    {
        if (occurredAt > now + HygienePolicy.FutureSkew)
            return new(Codes.ValidationFailed, "The time given is in the future.");
        if (now - occurredAt > policy.LateEntryWindow)
            return new(Codes.LateEntryWindowExceeded,
                $"It happened {Hours(now - occurredAt)} ago; entries more than {Hours(policy.LateEntryWindow)} late are refused. Record it as an incident instead.");
        return null;
    }

    public static bool IsLate(DateTimeOffset occurredAt, DateTimeOffset recordedAt) =>
        recordedAt - occurredAt > HygienePolicy.LateGrace;

    private static string Seconds(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Floor(t.TotalSeconds))} s");

    private static string Hours(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} h");
}
