using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// EF's approach for one model on several providers: a context type per provider, each with its own migrations
/// (Migrations/Sqlite, Migrations/Postgres) and model snapshot. They add nothing else to <see cref="FleetDb"/>.
/// </summary>
public sealed class SqliteFleetDb(DbContextOptions<SqliteFleetDb> options) : FleetDb(options);

/// <inheritdoc cref="SqliteFleetDb"/>
public sealed class PostgresFleetDb(DbContextOptions<PostgresFleetDb> options) : FleetDb(options);
