using System.Globalization;

namespace Fleet.Web.Api;

/// <summary>
/// Times as the ward reads them: on a ward's clock with the zone named, and a relative phrase ("in 12 min", "3 min ago")
/// because that is what a nurse acts on. What belongs to no ward (the system page, a report over wards on different
/// clocks) is read on the hospital's zone (config <c>Fleet:TimeZone</c>, else the server's), also named.
/// </summary>
public sealed class Display(TimeProvider time, string? timeZoneId)
{
    // The server's zone is only used when it has a name a reader can look up; "Local" would name nothing.
    private readonly TimeZoneInfo _zone = timeZoneId is { Length: > 0 } z ? TimeZoneInfo.FindSystemTimeZoneById(z)
        : TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneInfo.Local.Id, out var local) ? local : TimeZoneInfo.Utc;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The hospital's IANA zone, for times that belong to no ward.</summary>
    public string HospitalZone => _zone.Id;

    public DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, _zone);

    /// <summary>
    /// On a ward's clock with the zone named: "14:05 Europe/London" today there, "4 Dec 2026 14:05 Europe/London"
    /// on any other day.
    /// </summary>
    public string When(DateTimeOffset? t, string? zoneId)
    {
        if (t is not { } v) return "—";
        var zone = Zone(zoneId);
        var local = TimeZoneInfo.ConvertTime(v, zone);
        var today = TimeZoneInfo.ConvertTime(Now, zone).Date;
        var text = local.Date == today
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
        return $"{text} {zone.Id}";
    }

    /// <summary>A ward's zone; the hospital's when the ward has none this server knows.</summary>
    public TimeZoneInfo Zone(string? zoneId)
    {
        if (string.IsNullOrEmpty(zoneId)) return _zone;
        try { return TimeZoneInfo.FindSystemTimeZoneById(zoneId); }
        catch (TimeZoneNotFoundException) { return _zone; }
    }

    /// <summary>The day on a ward's clock (a forecast's day is the ward's day, not the server's).</summary>
    public string Date(DateTimeOffset? t, string? zoneId) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, Zone(zoneId)).ToString("d MMM yyyy", CultureInfo.InvariantCulture) : "—";

    /// <summary>"in 12 min", "5 min ago", "now".</summary>
    public string Relative(DateTimeOffset t)
    {
        var d = t - Now;
        var span = d.Duration();
        var words = span.TotalMinutes < 1 ? "less than a minute"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
        return d >= TimeSpan.Zero ? $"in {words}" : $"{words} ago";
    }

    /// <summary>For the browser's countdown: to the millisecond, since a contact time is judged to the millisecond.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// For files (CSV): ISO 8601 on the ward's clock with its offset ("2026-12-06T14:05:00+09:00"), so a spreadsheet
    /// shows the time the ward read and the instant stays exact.
    /// </summary>
    public string Iso(DateTimeOffset t, string? zoneId) =>
        TimeZoneInfo.ConvertTime(t, Zone(zoneId)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Number(double? v, string format = "0.#") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>Wire names such as <c>motion_sickness</c> as words.</summary>
    public static string Words(string wireName) => wireName.Replace('_', ' ');
}
