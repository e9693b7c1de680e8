using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Operations;

public static class TaskStatuses
{
    public const string Open = "open";
    public const string Overdue = "overdue";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Open, Overdue, Done, Cancelled];
}

/// <summary>
/// A piece of scheduled work (product.md hygiene rules 6 and 7). Due at <see cref="DueAt"/>, escalated at
/// <see cref="OverdueAt"/>, closed by the action that resolves it. Never deleted.
/// </summary>
public sealed class ScheduledTask
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public string? HeadsetId { get; init; }
    public required string WardId { get; init; }

    /// <summary>The ward day (UTC) a deep clean belongs to; null for headset tasks.</summary>
    public DateOnly? Day { get; init; }

    public required DateTimeOffset DueAt { get; set; }
    public required DateTimeOffset OverdueAt { get; set; }
    public required string Status { get; set; }
    public required string Message { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public string? CloseReason { get; set; }
}

internal sealed class ScheduledTaskConfiguration : IEntityTypeConfiguration<ScheduledTask>
{
    public void Configure(EntityTypeBuilder<ScheduledTask> b)
    {
        b.ToTable("tasks");
        b.HasKey(t => t.Id);
        b.Property(t => t.Kind).HasMaxLength(40);
        b.Property(t => t.HeadsetId).HasMaxLength(40);
        b.Property(t => t.WardId).HasMaxLength(40);
        b.Property(t => t.Status).HasMaxLength(20);
        b.Property(t => t.Message).HasMaxLength(500);
        b.Property(t => t.ClosedBy).HasMaxLength(100);
        b.Property(t => t.CloseReason).HasMaxLength(2000);
        // The jobs may fire twice, on two instances, or after a restart: the database still holds one open task per
        // headset and kind, and one deep clean per ward and day.
        b.HasIndex(t => new { t.HeadsetId, t.Kind }).IsUnique().HasFilter("\"ClosedAt\" IS NULL");
        b.HasIndex(t => new { t.WardId, t.Day, t.Kind }).IsUnique();
        b.HasIndex(t => t.ClosedAt);
        b.HasOne<Headset>().WithMany().HasForeignKey(t => t.HeadsetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ward>().WithMany().HasForeignKey(t => t.WardId).OnDelete(DeleteBehavior.Restrict);
    }
}
