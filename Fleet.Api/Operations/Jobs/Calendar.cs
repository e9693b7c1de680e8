namespace Fleet.Api.Operations.Jobs;

/// <summary>Times of day are UTC: wards have no time zone of their own yet (a deep clean at 06:00 is 06:00 UTC).</summary>
public static class Calendar
{
    /// <summary>The latest moment at or before <paramref name="now"/> whose UTC time of day is <paramref name="at"/>.</summary>
    public static DateTimeOffset LatestAt(TimeOnly at, DateTimeOffset now)
    {
        var today = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        return today <= now ? today : today.AddDays(-1);
    }

    public static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
