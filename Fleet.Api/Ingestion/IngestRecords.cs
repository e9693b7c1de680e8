using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Every event stored, once per (headset, id): the key is what makes a redelivered or replayed event change nothing.
/// Events older than the 72 h acceptance window can never be accepted again, so old rows may be pruned safely.
/// </summary>
public sealed class IngestedEvent
{
    public required string HeadsetId { get; init; }
    public required Guid EventId { get; init; }
    public required long Seq { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset At { get; init; }
    public required DateTimeOffset StoredAt { get; init; }

    /// <summary>The event's data as JSON; empty for telemetry, whose values are in the telemetry series.</summary>
    public required string Data { get; init; }
}

/// <summary>A message that could not be applied, kept with its reason and (the first 4 KiB of) its bytes.</summary>
public sealed class DeadLetter
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Topic { get; init; }
    public string? HeadsetId { get; init; }
    public required string Reason { get; init; }
    public required string Detail { get; init; }
    public required byte[] Payload { get; init; }
    public required int PayloadBytes { get; init; }
}

/// <summary>Per headset: the seq ranges received (compact), so gaps can be reported.</summary>
public sealed class IngestHeadsetStats
{
    public required string HeadsetId { get; init; }
    public long LastSeq { get; set; }
    public long Stored { get; set; }

    /// <summary>Received seq ranges as "from-to,from-to" in ascending order.</summary>
    public string Ranges { get; set; } = "";
}

/// <summary>The running totals (one row).</summary>
public sealed class IngestCounters
{
    public const int SingletonId = 1;
    public int Id { get; init; } = SingletonId;
    public long Received { get; set; }
    public long Stored { get; set; }
    public long Duplicates { get; set; }
    public long DeadLettered { get; set; }
}

internal sealed class IngestConfiguration :
    IEntityTypeConfiguration<IngestedEvent>, IEntityTypeConfiguration<DeadLetter>,
    IEntityTypeConfiguration<IngestHeadsetStats>, IEntityTypeConfiguration<IngestCounters>
{
    public void Configure(EntityTypeBuilder<IngestedEvent> b)
    {
        b.ToTable("ingested_events");
        b.HasKey(e => new { e.HeadsetId, e.EventId });
        b.Property(e => e.HeadsetId).HasMaxLength(40);
        b.Property(e => e.Type).HasMaxLength(40);
        // No other index: every one costs time on each of thousands of inserts a second. The table is stored
        // WITHOUT ROWID in SQLite (see the migration), so the key is the table.
    }

    public void Configure(EntityTypeBuilder<DeadLetter> b)
    {
        b.ToTable("dead_letters");
        b.HasKey(d => d.Id);
        b.Property(d => d.Topic).HasMaxLength(300);
        b.Property(d => d.HeadsetId).HasMaxLength(40);
        b.Property(d => d.Reason).HasMaxLength(40);
        b.Property(d => d.Detail).HasMaxLength(1000);
        b.HasIndex(d => d.At);
    }

    public void Configure(EntityTypeBuilder<IngestHeadsetStats> b)
    {
        b.ToTable("ingest_headset_stats");
        b.HasKey(s => s.HeadsetId);
        b.Property(s => s.HeadsetId).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<IngestCounters> b)
    {
        b.ToTable("ingest_counters");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
    }
}
