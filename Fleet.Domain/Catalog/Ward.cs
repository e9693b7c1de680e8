using Fleet.Domain.Hygiene;

namespace Fleet.Domain.Catalog;

/// <summary>A ward or clinic area; it owns the hygiene policy of the headsets in it.</summary>
public sealed class Ward
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public HygienePolicy Policy { get; set; } = HygienePolicy.Default;

    /// <summary>IANA id of the zone its clocks show; its times of day (deep clean) follow it (<see cref="WardClock"/>).</summary>
    public string TimeZone { get; set; } = WardClock.DefaultTimeZone;
}
