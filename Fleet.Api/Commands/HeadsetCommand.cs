using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Commands;

/// <summary>
/// A command to one headset's agent (identify, lock, unlock, sync). Stored first and published by a dispatcher, so a
/// broker outage delays a command until it expires instead of losing it; the agent answers with command.result.
/// </summary>
public sealed class HeadsetCommand
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required string Command { get; init; }
    public required string IssuedBy { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? PublishedAt { get; set; }
    public bool? ResultOk { get; set; }
    public string? ResultDetail { get; set; }
    public DateTimeOffset? ResultAt { get; set; }
}

internal sealed class HeadsetCommandConfiguration : IEntityTypeConfiguration<HeadsetCommand>
{
    public void Configure(EntityTypeBuilder<HeadsetCommand> b)
    {
        b.ToTable("headset_commands");
        b.HasKey(c => c.Id);
        b.Property(c => c.HeadsetId).HasMaxLength(40);
        b.Property(c => c.Command).HasMaxLength(20);
        b.Property(c => c.IssuedBy).HasMaxLength(100);
        b.Property(c => c.ResultDetail).HasMaxLength(1000);
        b.HasIndex(c => new { c.HeadsetId, c.IssuedAt });
        b.HasIndex(c => c.PublishedAt);
        b.HasOne<Headset>().WithMany().HasForeignKey(c => c.HeadsetId).OnDelete(DeleteBehavior.Restrict);
    }
}
