using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// EF's approach for one model on several providers: a context type per provider, each with its own migrations
/// (Migrations/Sqlite, Migrations/Postgres) and model snapshot. They add nothing else to <see cref="FleetDb"/>.
/// </summary>
public sealed class SqliteFleetDb(DbContextOptions<SqliteFleetDb> options) : FleetDb(options);

/// <summary>
/// <inheritdoc cref="SqliteFleetDb"/> Except one table: on PostgreSQL several instances serve one site, so the
/// data-protection keys that seal tokens live in the database, where every instance finds the same ones (on SQLite,
/// one instance, they stay files in the data directory).
/// </summary>
public sealed class PostgresFleetDb(DbContextOptions<PostgresFleetDb> options) : FleetDb(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
