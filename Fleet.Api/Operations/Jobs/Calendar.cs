using System.Globalization;
using Fleet.Domain.Catalog;

namespace Fleet.Api.Operations.Jobs;

/// <summary>
/// Ward times of day follow the ward's zone (<see cref="WardClock"/>); the fleet-wide nightly forecast has no ward, so
/// its 02:00 stays UTC.
/// </summary>
public static class Calendar
{
    /// <summary>The latest moment at or before <paramref name="now"/> whose UTC time of day is <paramref name="at"/>.</summary>
    public static DateTimeOffset LatestAt(TimeOnly at, DateTimeOffset now) => WardClock.LatestAt(at, now, TimeZoneInfo.Utc).At;

    /// <summary>"2026-12-05 06:00 Europe/London": the ward's wall clock, with its zone named.</summary>
    public static string When(Ward ward, DateTimeOffset t) => When(t, WardClock.ZoneOf(ward));

    public static string When(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;
}
