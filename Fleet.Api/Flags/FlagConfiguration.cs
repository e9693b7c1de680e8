using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Flags;

internal sealed class FlagConfiguration : IEntityTypeConfiguration<Flag>
{
    public void Configure(EntityTypeBuilder<Flag> b)
    {
        b.ToTable("flags");
        b.HasKey(f => f.Id);
        b.Property(f => f.HeadsetId).HasMaxLength(40);
        b.Property(f => f.Note).HasMaxLength(2000);
        b.Property(f => f.RaisedBy).HasMaxLength(100);
        b.Property(f => f.RaisedByRule).HasMaxLength(60);
        b.Property(f => f.ClearedBy).HasMaxLength(100);
        b.Property(f => f.ClearNote).HasMaxLength(2000);
        b.HasIndex(f => new { f.HeadsetId, f.ClearedAt });
        b.HasOne<Headset>().WithMany().HasForeignKey(f => f.HeadsetId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(f => f.Open);
    }
}

internal sealed class ComfortReportConfiguration : IEntityTypeConfiguration<ComfortReport>
{
    public void Configure(EntityTypeBuilder<ComfortReport> b)
    {
        b.ToTable("comfort_reports");
        b.HasKey(r => r.Id);
        b.Property(r => r.HeadsetId).HasMaxLength(40);
        b.Property(r => r.PatientRef).HasMaxLength(64);
        b.Property(r => r.Note).HasMaxLength(2000);
        b.Property(r => r.ReportedBy).HasMaxLength(100);
        b.HasIndex(r => new { r.HeadsetId, r.At });
        b.HasOne<Headset>().WithMany().HasForeignKey(r => r.HeadsetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Session>().WithMany().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Flag>().WithMany().HasForeignKey(r => r.FlagId).OnDelete(DeleteBehavior.Restrict);
    }
}
