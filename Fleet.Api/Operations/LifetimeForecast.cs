using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Operations;

/// <summary>The nightly forecast of one lifetime dimension of one headset: when it reaches 100 % at the last 30 days' rate.</summary>
public sealed class LifetimeForecast
{
    public required string HeadsetId { get; init; }
    public required LifetimeDimension Dimension { get; init; }
    public double Used { get; set; }
    public double Rated { get; set; }
    public double UsedPerDay { get; set; }

    /// <summary>Null when the dimension is not being used up.</summary>
    public DateTimeOffset? ReachesFullAt { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>When a job that runs on a calendar (rather than on state) last did its work, so a restart neither repeats nor skips it.</summary>
public sealed class JobRun
{
    public required string Name { get; init; }
    public DateTimeOffset LastRunAt { get; set; }
}

internal sealed class LifetimeForecastConfiguration : IEntityTypeConfiguration<LifetimeForecast>
{
    public void Configure(EntityTypeBuilder<LifetimeForecast> b)
    {
        b.ToTable("lifetime_forecasts");
        b.HasKey(f => new { f.HeadsetId, f.Dimension });
        b.Property(f => f.HeadsetId).HasMaxLength(40);
        b.HasOne<Headset>().WithMany().HasForeignKey(f => f.HeadsetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs");
        b.HasKey(r => r.Name);
        b.Property(r => r.Name).HasMaxLength(100);
    }
}
