using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Cleaning;

internal sealed class CleaningConfiguration : IEntityTypeConfiguration<CleaningRecord>
{
    public void Configure(EntityTypeBuilder<CleaningRecord> b)
    {
        b.ToTable("cleanings");
        b.HasKey(c => c.Id);
        b.Property(c => c.HeadsetId).HasMaxLength(40);
        b.Property(c => c.ProductId).HasMaxLength(40);
        b.Property(c => c.Operator).HasMaxLength(100);
        b.Property(c => c.CabinetId).HasMaxLength(100);
        b.Property(c => c.Note).HasMaxLength(2000);
        b.Property(c => c.InvalidCodes).HasMaxLength(400);
        b.Property(c => c.InvalidReason).HasMaxLength(2000);
        b.HasIndex(c => new { c.HeadsetId, c.StartedAt });
        b.HasOne<Headset>().WithMany().HasForeignKey(c => c.HeadsetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DisinfectantProduct>().WithMany().HasForeignKey(c => c.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(c => c.Valid);
        b.Ignore(c => c.InvalidCodeList);
        b.Ignore(c => c.Problems);
    }
}
