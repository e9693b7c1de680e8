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
        var connectionString = config.GetConnectionString("Fleet") ?? $"Data Source={Path.Combine(dataDirectory, "fleet.db")}";
        // Features may add SaveChanges interceptors (e.g. an outbox filled in the same transaction) through DI.
        services.AddDbContext<FleetDb>((sp, o) => o
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(FleetDb).Assembly.FullName))
            .AddInterceptors(new SqlitePragmas())
            .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>())
            // The migrations are written by hand (there is no design-time package here), so EF has no snapshot
            // to compare with; SchemaMatchesModel (a test) does that comparison instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        services.AddSingleton<WriteLock>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<Writes.Writes>();
        return services;
    }

    /// <summary>Creates or upgrades the schema in place, then turns on write-ahead logging (a property of the file).</summary>
    public static async Task MigrateFleetDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    public const string SchemaScriptFlag = "--schema-script";

    /// <summary>The DDL the current model implies: the starting point when writing a migration by hand.</summary>
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
