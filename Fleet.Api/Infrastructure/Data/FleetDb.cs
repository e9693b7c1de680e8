using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// The one database context. Each feature folder maps its own entities with an
/// <see cref="IEntityTypeConfiguration{TEntity}"/>, picked up here, so adding a feature never edits this file.
/// Code asks for <see cref="FleetDb"/>; the instance is the provider's own subclass (<see cref="SqliteFleetDb"/> or
/// <see cref="PostgresFleetDb"/>), which is only there so each provider has its own migrations and model snapshot.
/// </summary>
public abstract class FleetDb(DbContextOptions options) : DbContext(options)
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
        else
        {
            // timestamptz holds UTC to the microsecond; Npgsql refuses other offsets, and a value rounded on the way in
            // would come back different from the one hashed into the audit chain. Both happen here, in one place.
            c.Properties<DateTimeOffset>().HaveConversion<UtcMicrosecondsConverter>();
        }
        c.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
