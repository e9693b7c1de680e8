using Fleet.Contracts.Api;

namespace Fleet.Web.Api;

/// <summary>
/// Which clock a headset's or a record's time is read on: its ward's (WardView.TimeZone). Pages look the zone up here
/// and show the time with <see cref="Display.When(DateTimeOffset?, string?)"/> (in markup, <c>WardTime</c>), so every
/// page reads a ward's time the same way.
/// </summary>
public static class WardZones
{
    /// <summary>The ward's IANA zone; UTC when the ward is unknown, as the API does for a ward created without one.</summary>
    public static string ZoneOf(this IEnumerable<WardView> wards, string? wardId) => wards.FirstOrDefault(w => w.Id == wardId)?.TimeZone ?? "UTC";

    /// <summary>The zone of the ward a headset belongs to (for records that name only the headset: alerts, trace links).</summary>
    public static string ZoneOfHeadset(this IEnumerable<WardView> wards, IEnumerable<HeadsetSummary> headsets, string? headsetId) =>
        wards.ZoneOf(headsets.FirstOrDefault(h => h.Id == headsetId)?.WardId);

    /// <summary>
    /// The one clock a report over these wards is read on (its period's days, when it was generated): theirs when they
    /// share a zone, else null, which <see cref="Display"/> reads as the hospital's zone (named like any other).
    /// </summary>
    public static string? SharedZone(this IEnumerable<WardView> wards) =>
        wards.Select(w => w.TimeZone).Distinct().ToList() is [var only] ? only : null;
}
