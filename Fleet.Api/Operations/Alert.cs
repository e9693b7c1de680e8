using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Operations;

public static class AlertSeverities
{
    public const string Warning = "warning";
    public const string Critical = "critical";
}

/// <summary>One episode of a condition on one headset: opened when it starts, closed when it ends. Never deleted.</summary>
public sealed class Alert
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public required string HeadsetId { get; init; }
    public required string Severity { get; init; }
    public required string Message { get; set; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public string? CloseReason { get; set; }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.ToTable("alerts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Kind).HasMaxLength(40);
        b.Property(a => a.HeadsetId).HasMaxLength(40);
        b.Property(a => a.Severity).HasMaxLength(20);
        b.Property(a => a.Message).HasMaxLength(500);
        b.Property(a => a.ClosedBy).HasMaxLength(100);
        b.Property(a => a.CloseReason).HasMaxLength(2000);
        // One open episode per headset and kind, whatever fires the job and how often.
        b.HasIndex(a => new { a.HeadsetId, a.Kind }).IsUnique().HasFilter("\"ClosedAt\" IS NULL");
        b.HasIndex(a => a.ClosedAt);
        b.HasOne<Headset>().WithMany().HasForeignKey(a => a.HeadsetId).OnDelete(DeleteBehavior.Restrict);
    }
}
