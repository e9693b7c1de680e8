using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Sessions;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    /// <summary>The database itself refuses a second open session on one headset, whatever the timing.</summary>
    public const string OneOpenSessionPerHeadset = "IX_sessions_one_open_per_headset";

    public void Configure(EntityTypeBuilder<Session> b)
    {
        b.ToTable("sessions");
        b.HasKey(s => s.Id);
        b.Property(s => s.HeadsetId).HasMaxLength(40);
        b.Property(s => s.PatientRef).HasMaxLength(64);
        b.Property(s => s.WardId).HasMaxLength(40);
        b.Property(s => s.StartedBy).HasMaxLength(100);
        b.Property(s => s.EndedBy).HasMaxLength(100);
        b.Property(s => s.App).HasMaxLength(200);
        b.PrimitiveCollection(s => s.Precautions);
        b.HasIndex(s => s.HeadsetId).IsUnique().HasFilter("\"EndedAt\" IS NULL").HasDatabaseName(OneOpenSessionPerHeadset);
        b.HasIndex(s => new { s.HeadsetId, s.StartedAt });
        b.HasIndex(s => new { s.PatientRef, s.StartedAt });
        b.HasOne<Headset>().WithMany().HasForeignKey(s => s.HeadsetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ward>().WithMany().HasForeignKey(s => s.WardId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(s => s.Open);
        b.Ignore(s => s.ContactPrecautions);
    }
}
