using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Telemetry;

/// <summary>
/// One raw telemetry reading (kept 14 days, then folded into hourly aggregates). Keyed by series and time, so a
/// headset's series is one range of the table's own B-tree (stored WITHOUT ROWID): one write per reading.
/// </summary>
public sealed class TelemetrySample
{
    public const string Battery = "battery";
    public const string Device = "device";

    /// <summary>The event the reading came in; it keeps two readings at the same millisecond apart.</summary>
    public required Guid EventId { get; init; }
    public required string HeadsetId { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public int? BatteryPercent { get; init; }
    public bool? Charging { get; init; }
    public double? TemperatureC { get; init; }
    public int? HealthPercent { get; init; }
    public int? CycleCount { get; init; }
    public long? StorageFreeMb { get; init; }
    public int? WifiRssi { get; init; }
}

/// <summary>An hour of readings of one kind for one headset: what is kept after the raw retention.</summary>
public sealed class TelemetryHourly
{
    public required string HeadsetId { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset HourStart { get; init; }
    public int Samples { get; set; }
    public double? BatteryPercentAvg { get; set; }
    public int? BatteryPercentMin { get; set; }
    public double? TemperatureAvgC { get; set; }
    public double? TemperatureMaxC { get; set; }
    public int? HealthPercentMin { get; set; }
    public int? CycleCountMax { get; set; }
    public long? StorageFreeMinMb { get; set; }
    public double? WifiRssiAvg { get; set; }
}

internal sealed class TelemetrySampleConfiguration : IEntityTypeConfiguration<TelemetrySample>
{
    public void Configure(EntityTypeBuilder<TelemetrySample> b)
    {
        b.ToTable("telemetry_samples");
        b.HasKey(t => new { t.HeadsetId, t.Kind, t.At, t.EventId });
        b.Property(t => t.HeadsetId).HasMaxLength(40);
        b.Property(t => t.Kind).HasMaxLength(20);
        b.HasOne<Headset>().WithMany().HasForeignKey(t => t.HeadsetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TelemetryHourlyConfiguration : IEntityTypeConfiguration<TelemetryHourly>
{
    public void Configure(EntityTypeBuilder<TelemetryHourly> b)
    {
        b.ToTable("telemetry_hourly");
        b.HasKey(t => new { t.HeadsetId, t.Kind, t.HourStart });
        b.Property(t => t.HeadsetId).HasMaxLength(40);
        b.Property(t => t.Kind).HasMaxLength(20);
        b.HasOne<Headset>().WithMany().HasForeignKey(t => t.HeadsetId).OnDelete(DeleteBehavior.Restrict);
    }
}
