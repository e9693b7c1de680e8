using System.Data.Common;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Fleet.Api.Infrastructure.Data;

public static class DatabaseSetup
{
    /// <summary>Where Fleet keeps its files (database, data-protection keys) unless configured otherwise.</summary>
    public static string DataDirectory(IConfiguration config)
    {
        var dir = Path.GetFullPath(config["Fleet:DataDirectory"] ?? "data");
        Directory.CreateDirectory(dir);
        // Owner-only even when it existed before (new files in it are owner-only through the process's umask).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    public static IServiceCollection AddFleetDatabase(this IServiceCollection services, IConfiguration config, string dataDirectory)
    {
        var options = DatabaseOptions.From(config, dataDirectory);
        services.AddSingleton(options);
        // Features may add SaveChanges interceptors (e.g. an outbox filled in the same transaction) through DI.
        if (options.IsPostgres)
            services.AddDbContext<FleetDb, PostgresFleetDb>((sp, o) => UsePostgres(o, options.ConnectionString)
                .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
        else
            services.AddDbContext<FleetDb, SqliteFleetDb>((sp, o) => UseSqlite(o, options.ConnectionString)
                .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
        services.AddSingleton<WriteLock>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<Writes.Writes>();
        return services;
    }

    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder o, string connectionString) => o
        .UseSqlite(connectionString)
        .AddInterceptors(new SqlitePragmas());

    public static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder o, string connectionString) => o
        .UseNpgsql(connectionString, pg => pg.SetPostgresVersion(15, 0));

    /// <summary>
    /// Creates or upgrades the schema in place (on SQLite first adopting a database made by the hand-written
    /// migrations of before), then on SQLite turns on write-ahead logging (a property of the file).
    /// </summary>
    public static async Task MigrateFleetDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        if (db.Database.IsSqlite()) await HandWrittenMigrations.AdoptAsync(db, ct);
        if (db.Database.IsNpgsql())
        {
            // Instances started at once on one database would each apply the pending migrations (EF's own lock did
            // not stop the second from adding a column the first had just added): one migrates, the others wait
            // and then find nothing to do. A session lock, held on this connection for the whole run.
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
        else await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>Advisory lock key that serialises migrations between instances (distinct from the write lock's).</summary>
    private const long MigrationLockKey = 0x466C6565744D6967; // "FleetMig"

    public const string SchemaScriptFlag = "--schema-script";

    /// <summary>The DDL the current model implies, for the configured provider.</summary>
    public static string ModelSchemaScript(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<FleetDb>().Database.GenerateCreateScript();
    }

    /// <summary>Per-connection settings: wait for a busy writer instead of failing, and fsync commits (synchronous=FULL).</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        // A 64 MiB page cache per connection keeps the ingest tables' upper B-tree levels in memory.
        private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
