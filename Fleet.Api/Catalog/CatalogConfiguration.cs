using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Catalog;

internal sealed class WardConfiguration : IEntityTypeConfiguration<Ward>
{
    public void Configure(EntityTypeBuilder<Ward> b)
    {
        b.ToTable("wards");
        b.HasKey(w => w.Id);
        b.Property(w => w.Id).HasMaxLength(40);
        b.Property(w => w.Name).HasMaxLength(200);
        // Wards made before zones existed keep the UTC times they had.
        b.Property(w => w.TimeZone).HasMaxLength(64).HasDefaultValue(WardClock.DefaultTimeZone);
        b.ComplexProperty(w => w.Policy, p =>
        {
            // Whole seconds are enough for hygiene numbers and keep the column readable.
            p.Property(x => x.HangTime).HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v));
            p.Property(x => x.CleaningDue).HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v));
            p.Property(x => x.LateEntryWindow).HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v));
            p.Property(x => x.BatteryMargin).HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v));
            p.Property(x => x.OfflineAfter).HasConversion(v => (long)v.TotalSeconds, v => TimeSpan.FromSeconds(v));
            p.Property(x => x.DeepCleanAt).HasConversion(v => v.ToString("HH:mm"), v => TimeOnly.Parse(v)).HasMaxLength(5);
        });
    }
}

internal sealed class HeadsetModelConfiguration : IEntityTypeConfiguration<HeadsetModel>
{
    public void Configure(EntityTypeBuilder<HeadsetModel> b)
    {
        b.ToTable("headset_models");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).HasMaxLength(40);
        b.Property(m => m.Manufacturer).HasMaxLength(100);
        b.Property(m => m.Name).HasMaxLength(100);
        b.PrimitiveCollection(m => m.AllowedClasses).ElementType(e => e.HasConversion<string>());
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<DisinfectantProduct>
{
    public void Configure(EntityTypeBuilder<DisinfectantProduct> b)
    {
        b.ToTable("products");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).HasMaxLength(40);
        b.Property(p => p.Name).HasMaxLength(200);
        b.Ignore(p => p.Sporicidal);
        b.Ignore(p => p.ContactTime);
    }
}
