namespace Fleet.Domain.Catalog;

/// <summary>
/// Times of day on a ward (deep clean at 06:00) are the ward's wall-clock times in its IANA time zone. This is the one
/// place that turns such a time into an instant, so the jobs, the API and the web agree across a DST change.
/// </summary>
public static class WardClock
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>The zone named by <paramref name="id"/>, or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return null; }
        catch (InvalidTimeZoneException) { return null; }
    }

    /// <summary>The ward's zone; UTC for a stored id this machine does not know (ids are validated when saved).</summary>
    public static TimeZoneInfo ZoneOf(Ward ward) => Find(ward.TimeZone) ?? TimeZoneInfo.Utc;

    /// <summary>
    /// The instant at which the ward's clock shows <paramref name="at"/> on <paramref name="day"/>. A time skipped by
    /// the clocks going forward is read with the offset before the change (02:30 in a 02:00→03:00 gap is 03:30), so
    /// the slot is late by the gap rather than lost; a time shown twice when the clocks go back is its first showing,
    /// so the slot happens once.
    /// </summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly at, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(at, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local)) return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        if (zone.IsInvalidTime(local)) return new DateTimeOffset(local, OffsetBefore(local, zone)).ToUniversalTime();
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The latest slot at or before <paramref name="now"/> whose ward time of day is <paramref name="at"/>, with the ward's date of it.</summary>
    public static (DateOnly Day, DateTimeOffset At) LatestAt(TimeOnly at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = Today(now, zone);
        var slot = At(today, at, zone);
        return slot <= now ? (today, slot) : (today.AddDays(-1), At(today.AddDays(-1), at, zone));
    }

    /// <summary>The ward's date at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    // Gaps last at most a few hours and transitions are months apart, so a day earlier is safely before the change.
    private static TimeSpan OffsetBefore(DateTime local, TimeZoneInfo zone) =>
        zone.GetUtcOffset(TimeZoneInfo.ConvertTimeToUtc(local.AddDays(-1).Date.AddHours(12), zone));
}
