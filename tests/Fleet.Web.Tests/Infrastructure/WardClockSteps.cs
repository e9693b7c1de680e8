using System.Globalization;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>Wards on clocks of their own, and what a page should then say for an instant.</summary>
public static class WardClockSteps
{
    /// <summary>Puts the ward on <paramref name="zone"/>'s clock through the admin API, as the ward admin screen does.</summary>
    public static async Task SetTimeZoneAsync(this FleetSite site, string ward, string zone)
    {
        using var admin = await site.ApiAsAsync("admin");
        using var response = await admin.PutAsJsonAsync($"/api/v1/wards/{ward}", new WardRequest(ward, $"Ward on {zone}", zone), FleetJson.Options);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// "14:05 Asia/Tokyo" when the instant falls on today's date on that clock, else "6 Dec 2026 14:05 Asia/Tokyo".
    /// Use zones without daylight saving (Asia/Tokyo, America/Bogota) so that the answer is fixed by the instant.
    /// </summary>
    public static string OnClock(DateTimeOffset at, string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = TimeZoneInfo.ConvertTime(at, tz);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tz).Date;
        var text = local.Date == today
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
        return $"{text} {zone}";
    }
}
