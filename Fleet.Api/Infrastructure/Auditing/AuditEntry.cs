using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Infrastructure.Auditing;

/// <summary>
/// One link of the append-only audit chain. <see cref="Hash"/> covers every field and the previous hash,
/// so editing, deleting or inserting a row anywhere breaks the chain from there on.
/// </summary>
public sealed class AuditEntry
{
    public required long Seq { get; init; }

    /// <summary>When Fleet recorded it.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>When it really happened, if earlier (a late entry is placed at its real time).</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary><c>user:nurse</c>, <c>device:HS-0001</c> or <c>system:jobs</c>.</summary>
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Reason { get; init; }

    /// <summary>The facts of the change as JSON.</summary>
    public string? Data { get; init; }
    public required bool Late { get; init; }
    public required string PrevHash { get; init; }
    public required string Hash { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(a => a.Seq);
        b.Property(a => a.Seq).ValueGeneratedNever();
        b.Property(a => a.Actor).HasMaxLength(120);
        b.Property(a => a.Action).HasMaxLength(80);
        b.Property(a => a.EntityType).HasMaxLength(40);
        b.Property(a => a.EntityId).HasMaxLength(80);
        b.Property(a => a.Reason).HasMaxLength(2000);
        b.Property(a => a.PrevHash).HasMaxLength(64);
        b.Property(a => a.Hash).HasMaxLength(64);
        b.HasIndex(a => new { a.EntityId, a.At });
        b.HasIndex(a => a.At);
    }
}
