using Fleet.Domain.Cleaning;
using System.Globalization;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;

namespace Fleet.Api.Clinical.Trace;

/// <summary>Whether a valid cleaning stood between one patient's session and the next patient's, and why, in words.</summary>
public sealed record HandOverVerdict(bool Protected, CleaningRecord? Cleaning, string Explanation);

public static class HandOver
{
    /// <summary>
    /// A hand-over is protected only by a VALID cleaning that started after the earlier session ended and completed before
    /// the later one started. Late-logged cleanings are stored at their real times, so they count where they really happened.
    /// Invalid, abandoned and unfinished cleanings do not protect, nor does one that overlaps either session.
    /// </summary>
    public static HandOverVerdict Judge(Session earlier, Session later, IReadOnlyList<CleaningRecord> cleaningsOnHeadset, int sessionsBetween)
    {
        var returned = earlier.EndedAt!.Value;
        var received = later.StartedAt;
        var story = $"{later.PatientRef} received {later.HeadsetId} at {Time(received)} after {earlier.PatientRef} returned it at {Time(returned)}"
            + (sessionsBetween > 0 ? $" ({sessionsBetween} other session{(sessionsBetween == 1 ? "" : "s")} in between)" : "");

        var between = cleaningsOnHeadset
            .Where(c => c.CompletedAt is { } done && c.StartedAt >= returned && done <= received)
            .OrderBy(c => c.CompletedAt).ToList();
        if (between.FirstOrDefault(c => c.Status == CleaningStatus.Valid) is { } valid)
            return new(true, valid, $"{story}; a valid cleaning stood between them: {Describe(valid)}.");

        // Valid cleanings recorded around the hand-over but not inside it (late entries are placed where they really were).

        var why = between.Select(c => c.Status == CleaningStatus.Invalid
                ? $"{Describe(c)} was invalid ({string.Join(" ", c.Problems.Select(p => p.Message))})"
                : $"the cleaning started at {Time(c.StartedAt)} was abandoned ({c.Note ?? "not finished"})")
            .Concat(cleaningsOnHeadset
                .Where(c => c.Status == CleaningStatus.Valid && c.CompletedAt is { } done && c.StartedAt < received && done > earlier.StartedAt
                    && !(c.StartedAt >= returned && done <= received))
                .Select(c => c.StartedAt < returned
                    ? $"{Describe(c)} was valid but started before the earlier session ended"
                    : $"{Describe(c)} was valid but completed only after the later session started"))
            .ToList();
        return new(false, null, why.Count == 0
            ? $"{story}, and no cleaning was recorded between them."
            : $"{story} with no valid cleaning in between: {string.Join("; ", why)}.");
    }

    private static string Describe(CleaningRecord c) =>
        $"the {c.ProductId} cleaning from {Time(c.StartedAt)} to {Time(c.CompletedAt!.Value)}{(c.Late ? " (logged late)" : "")}";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
