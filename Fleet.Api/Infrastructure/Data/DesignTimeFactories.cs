using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// What <c>dotnet ef migrations add</c> uses to build each provider's model (no database is opened for that).
/// See the README, "Adding a migration".
/// </summary>
public sealed class SqliteFleetDbFactory : IDesignTimeDbContextFactory<SqliteFleetDb>
{
    public SqliteFleetDb CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteFleetDb>)DatabaseSetup.UseSqlite(new DbContextOptionsBuilder<SqliteFleetDb>(), "Data Source=design-time.db").Options);
}

/// <inheritdoc cref="SqliteFleetDbFactory"/>
public sealed class PostgresFleetDbFactory : IDesignTimeDbContextFactory<PostgresFleetDb>
{
    public PostgresFleetDb CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresFleetDb>)DatabaseSetup.UsePostgres(new DbContextOptionsBuilder<PostgresFleetDb>(), "Host=localhost;Database=fleet_design_time").Options);
}
