using System.Data.Common;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

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
        {
            services.AddDbContext<FleetDb, SqliteFleetDb>((sp, o) => UseSqlite(o, options.ConnectionString)
                .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
            services.AddHostedService<SqliteCheckpointer>();
        }
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
        // Instances started together (a deployment, the cluster tests) migrate one after the other: EF's own lock does
        // not stop a second instance from applying a migration the first has just applied. The lock is held by a
        // connection of its own for as long as the migration runs, and goes with it if the instance dies.
        if (db.Database.IsNpgsql()) await CreatePostgresDatabaseAsync(db, ct);
        await using var migrationLock = db.Database.IsNpgsql() ? await MigrationLockAsync(db.Database.GetConnectionString()!, ct) : null;
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>The lock lives in the database, so the database must exist first; two instances may both try.</summary>
    private static async Task CreatePostgresDatabaseAsync(FleetDb db, CancellationToken ct)
    {
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct)) return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // The other instance created it a moment earlier.
        }
    }

    private const long MigrationLockKey = 0x466C65656D;

    /// <summary>A session-level advisory lock (any constant of Fleet's own), held until the connection is disposed.</summary>
    private static async Task<Npgsql.NpgsqlConnection> MigrationLockAsync(string connectionString, CancellationToken ct)
    {
        // Not pooled: a pooled connection would return to the pool still holding the lock.
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection);
        await cmd.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public const string SchemaScriptFlag = "--schema-script";

    /// <summary>The DDL the current model implies, for the configured provider.</summary>
    public static string ModelSchemaScript(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<FleetDb>().Database.GenerateCreateScript();
    }

    /// <summary>
    /// Per-connection settings: wait for a busy writer instead of failing, and fsync commits (synchronous=FULL).
    /// They belong to SQLite's own connection, which Microsoft.Data.Sqlite pools and EF opens for every query: each
    /// native connection is set up once, not on each of the several opens a request makes (measured: the pragmas
    /// were a large part of a readiness answer).
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        // A 64 MiB page cache per connection keeps the ingest tables' upper B-tree levels in memory. Checkpoints are
        // SqliteCheckpointer's work; a writer's own is only a safety net.
        private static readonly string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; "
            + $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.SafetyNetPages}; PRAGMA journal_size_limit=67108864;";

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!FirstOpen(connection)) return;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            if (!FirstOpen(connection)) return;
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            await cmd.ExecuteNonQueryAsync(ct);
        }

        /// <summary>True the first time this native connection is seen (the pool hands the same one out again).</summary>
        private static bool FirstOpen(DbConnection connection) =>
            connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } native } || Configured.TryAdd(native, native);
    }
}
