using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Clinical.Ehr;

public enum EhrDelivery
{
    Pending,
    Sent,

    /// <summary>Nothing to send: the record maps to no FHIR resource (for example a hold that follows no patient's session).</summary>
    Skipped,

    /// <summary>The EHR refused it with a 4xx that retrying cannot fix; kept with the answer for someone to look at.</summary>
    Rejected,
}

/// <summary>
/// One resource to PUT to the EHR. Written in the same transaction as the change it reports, so a change is never
/// committed without its row; the resource itself is built when it is sent, from Fleet's records as they are then.
/// </summary>
public sealed class EhrOutboxItem
{
    public long Id { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceId { get; init; }

    /// <summary>The Device the resource refers to, sent first so the reference resolves in the EHR.</summary>
    public required string HeadsetId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public EhrDelivery Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class EhrOutboxItemConfiguration : IEntityTypeConfiguration<EhrOutboxItem>
{
    public void Configure(EntityTypeBuilder<EhrOutboxItem> b)
    {
        b.ToTable("ehr_outbox");
        b.HasKey(o => o.Id);
        b.Property(o => o.ResourceType).HasMaxLength(40);
        b.Property(o => o.ResourceId).HasMaxLength(64);
        b.Property(o => o.HeadsetId).HasMaxLength(40);
        b.Property(o => o.LastError).HasMaxLength(2000);
        b.HasIndex(o => new { o.Status, o.Id });
    }
}
