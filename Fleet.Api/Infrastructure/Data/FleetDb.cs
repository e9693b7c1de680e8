using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// The one database context. Each feature folder maps its own entities with an
/// <see cref="IEntityTypeConfiguration{TEntity}"/>, picked up here, so adding a feature never edits this file.
/// </summary>
public sealed class FleetDb(DbContextOptions<FleetDb> options) : DbContext(options)
{
    public DbSet<Headset> Headsets => Set<Headset>();
    public DbSet<HeadsetModel> Models => Set<HeadsetModel>();
    public DbSet<Ward> Wards => Set<Ward>();
    public DbSet<DisinfectantProduct> Products => Set<DisinfectantProduct>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<CleaningRecord> Cleanings => Set<CleaningRecord>();
    public DbSet<Flag> Flags => Set<Flag>();
    public DbSet<ComfortReport> ComfortReports => Set<ComfortReport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FleetDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder c)
    {
        // SQLite has no date type: store UTC as fixed-width ISO 8601 text, which sorts and compares correctly in SQL.
        if (Database.IsSqlite())
        {
            c.Properties<DateTimeOffset>().HaveConversion<UtcTextConverter>().HaveMaxLength(UtcTextConverter.Width);
        }
        c.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
