using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Headsets;

internal sealed class HeadsetConfiguration : IEntityTypeConfiguration<Headset>
{
    public void Configure(EntityTypeBuilder<Headset> b)
    {
        b.ToTable("headsets");
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).HasMaxLength(40);
        b.Property(h => h.Serial).HasMaxLength(64);
        b.Property(h => h.AssetTag).HasMaxLength(64);
        b.Property(h => h.ModelId).HasMaxLength(40);
        b.Property(h => h.WardId).HasMaxLength(40);
        b.Property(h => h.RetiredNote).HasMaxLength(2000);
        b.HasIndex(h => h.Serial).IsUnique();
        b.HasIndex(h => h.AssetTag).IsUnique();
        b.HasIndex(h => h.WardId);
        b.HasOne<HeadsetModel>().WithMany().HasForeignKey(h => h.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ward>().WithMany().HasForeignKey(h => h.WardId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(h => h.Retired);

        // Enrollment: the broker holds the secret; the API only remembers that and when it was issued.
        b.Property<DateTimeOffset?>("EnrolledAt");

        b.ComplexProperty(h => h.Counters);
        b.ComplexProperty(h => h.Telemetry, t =>
        {
            t.Property(x => x.DeviceModel).HasMaxLength(100);
            t.Property(x => x.Firmware).HasMaxLength(100);
            t.Property(x => x.Os).HasMaxLength(100);
        });
    }
}
