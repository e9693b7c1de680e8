using System.Data.Common;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Data;

/// <summary>
/// The migrations are generated (dotnet ef migrations add), one set per provider with its model snapshot. These tests
/// fail when a model change has no migration, when a migration (or a hand edit to one) builds a schema other than the
/// one EF derives from the model, and when a database from before the generated migrations would not upgrade in place.
/// </summary>
public sealed class SchemaTests
{
    [Fact]
    public void EveryModelChangeHasAMigrationOnSqlite()
    {
        using var db = new SqliteFleetDbFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("The model changed without a migration: run `dotnet ef migrations add <Name> --context SqliteFleetDb ...` (README, \"Adding a migration\").");
    }

    [Fact]
    public void EveryModelChangeHasAMigrationOnPostgres()
    {
        using var db = new PostgresFleetDbFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("The model changed without a migration: run `dotnet ef migrations add <Name> --context PostgresFleetDb ...` (README, \"Adding a migration\").");
    }

    [Fact]
    public async Task MigratedSchemaMatchesWhatTheModelExpects()
    {
        using var app = new FleetApp();
        _ = app.CreateClient(); // starting the app runs the migrations
        using var modelDir = new TempDirectory();
        var modelConnection = TestDatabase.ConnectionStringFor(modelDir.Path);
        try
        {
            await using (var db = Context(app.Provider, modelConnection)) await db.Database.EnsureCreatedAsync();
            using var migrated = app.OpenDatabase();
            using var model = TestDatabase.Open(app.Provider, modelConnection);
            // What the migrations add by hand on purpose (EF's model has no words for it) is checked on its own.
            var migratedLines = Describe(migrated);
            migratedLines.Where(l => l.StartsWith("trigger audit_entries.", StringComparison.Ordinal)).Select(l => l.Split(' ')[1])
                .Distinct().Order().ShouldBe(["audit_entries.audit_entries_no_delete", "audit_entries.audit_entries_no_update"]);
            if (!app.OnPostgres) migratedLines.Count(l => l.EndsWith(" without rowid", StringComparison.Ordinal)).ShouldBe(2);
            static IEnumerable<string> ModelOnly(IEnumerable<string> lines) =>
                lines.Where(l => !l.StartsWith("trigger ", StringComparison.Ordinal)).Select(l => l.Replace(" without rowid", "", StringComparison.Ordinal));
            var expected = ModelOnly(Describe(model)).ToList();
            var actual = ModelOnly(migratedLines).ToList();
            var missing = expected.Except(actual).ToList();
            var extra = actual.Except(expected).ToList();
            (missing.Count + extra.Count).ShouldBe(0,
                $"Schema drift.\nThe model needs (add a migration):\n  {string.Join("\n  ", missing)}\nThe migrations have but the model does not:\n  {string.Join("\n  ", extra)}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (app.OnPostgres) TestDatabase.Drop(modelDir.Path);
        }
    }

    [Fact]
    public void MigratingTwiceChangesNothing()
    {
        using var dir = new TempDirectory();
        using (var first = new FleetApp(dir.Path)) _ = first.CreateClient();
        string before;
        using (var c = TestDatabase.OpenForDirectory(dir.Path)) before = string.Join("\n", Describe(c));
        using (var second = new FleetApp(dir.Path)) _ = second.CreateClient();
        using (var again = TestDatabase.OpenForDirectory(dir.Path)) string.Join("\n", Describe(again)).ShouldBe(before);
        if (TestDatabase.Chosen == DatabaseProvider.Postgres) TestDatabase.Drop(dir.Path);
    }

    [Fact]
    public void TheDatabaseUsesWriteAheadLoggingOnSqlite()
    {
        using var app = new FleetApp(provider: DatabaseProvider.Sqlite);
        _ = app.CreateClient();
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        ((string)cmd.ExecuteScalar()!).ShouldBe("wal");
    }

    /// <summary>The pragmas are set once per pooled native connection; a connection handed out again still has them.</summary>
    [Fact]
    public async Task EveryOpenOfAPooledConnectionHasTheSettingsOnSqlite()
    {
        using var app = new FleetApp(provider: DatabaseProvider.Sqlite);
        _ = app.CreateClient();
        for (var open = 0; open < 3; open++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
            await db.Database.OpenConnectionAsync();
            var c = db.Database.GetDbConnection();
            Pragma(c, "synchronous").ShouldBe(2L, "FULL");
            Pragma(c, "foreign_keys").ShouldBe(1L);
            Pragma(c, "busy_timeout").ShouldBe(10_000L);
            Pragma(c, "cache_size").ShouldBe(-65_536L);
            Pragma(c, "wal_autocheckpoint").ShouldBe((long)SqliteCheckpointer.SafetyNetPages, "checkpoints are the checkpointer's, off the writers' path");
            await db.Database.CloseConnectionAsync();
        }

        static object? Pragma(DbConnection c, string name)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"PRAGMA {name};";
            return cmd.ExecuteScalar();
        }
    }

    /// <summary>
    /// Writers leave checkpoints to the checkpointer (their own only at a size far above this test's): a committed
    /// cleaning reaches the database file itself within moments, read here from a copy of the file without its log.
    /// </summary>
    [Fact]
    public async Task CommittedWritesReachTheDatabaseFileWithoutAWriterCheckpointingOnSqlite()
    {
        using var app = new FleetApp(provider: DatabaseProvider.Sqlite);
        var cleaning = await app.CleanAsync("HS-0001");
        using var copies = new TempDirectory();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var n = 0; ; n++)
        {
            var copy = copies.File($"without-log-{n}.db");
            File.Copy(app.DatabasePath, copy);
            try
            {
                using var c = new SqliteConnection($"Data Source={copy};Pooling=False");
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT COUNT(*) FROM cleanings WHERE Id = $id";
                cmd.Parameters.AddWithValue("$id", cleaning.Id.ToString().ToUpperInvariant());
                if ((long)cmd.ExecuteScalar()! == 1) return;
            }
            catch (SqliteException) { } // a copy taken while a checkpoint was writing the file: take another
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the cleaning never reached the database file: nothing checkpoints the log");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The fixture was made by the code of main before this change (hand-written migrations; a cleaning, a session, a
    /// dirty report, five battery readings through the fast path). Started on it, the API adopts it, keeps every row as
    /// it was, ends with the schema a new database gets, and reads the old rows (audit chain intact, the battery).
    /// </summary>
    [Fact]
    public async Task ADatabaseMadeByTheHandWrittenMigrationsUpgradesInPlaceKeepingEveryRowOnSqlite()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Data", "Fixtures", "fleet-before-generated-migrations.db"), dir.File("fleet.db"));
        Dictionary<string, List<string>> before;
        Dictionary<string, string> oldColumns;
        using (var old = TestDatabase.Open(DatabaseProvider.Sqlite, $"Data Source={dir.File("fleet.db")}"))
        {
            before = Contents(old);
            oldColumns = Tables(old).ToDictionary(t => t, t => string.Join(",", Query(old, $"PRAGMA table_info('{t}')").Select(col => $"\"{col[1]}\"")));
            Query(old, "SELECT MigrationId FROM __EFMigrationsHistory").Count.ShouldBe(7);
        }
        before["audit_entries"].Count.ShouldBe(6);
        before["telemetry_samples"].Count.ShouldBe(5);

        using (var app = new FleetApp(dir.Path, provider: DatabaseProvider.Sqlite))
        {
            var verify = await (await app.ClientAs("infection")).Get<AuditVerification>("/api/v1/audit/verify");
            verify.Intact.ShouldBeTrue(verify.Problem);
            verify.EntriesChecked.ShouldBeGreaterThanOrEqualTo(6);
            (await app.HeadsetAsync("HS-0003")).Telemetry!.BatteryPercent.ShouldBe(80);
        }

        SqliteConnection.ClearAllPools();
        using var upgraded = TestDatabase.Open(DatabaseProvider.Sqlite, $"Data Source={dir.File("fleet.db")}");
        // Later migrations may add columns; the rows are compared on the columns the old database had.
        var after = Contents(upgraded, oldColumns);
        foreach (var (table, rows) in before.Where(t => t.Key != "__EFMigrationsHistory"))
            rows.Except(after[table]).ShouldBeEmpty($"{table} lost or changed rows"); // the API may have added some since
        // Adopted as the baseline, then brought up to date by the migrations generated since.
        Query(upgraded, "SELECT MigrationId FROM __EFMigrationsHistory").Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ShouldBe(
            new SqliteFleetDbFactory().CreateDbContext([]).Database.GetMigrations().Order(StringComparer.Ordinal));

        using var freshApp = new FleetApp(provider: DatabaseProvider.Sqlite);
        _ = freshApp.CreateClient();
        using var fresh = freshApp.OpenDatabase();
        Describe(upgraded).ShouldBe(Describe(fresh));
    }

    private static FleetDb Context(DatabaseProvider provider, string connectionString) => provider == DatabaseProvider.Postgres
        ? new PostgresFleetDb((DbContextOptions<PostgresFleetDb>)DatabaseSetup.UsePostgres(new DbContextOptionsBuilder<PostgresFleetDb>(), connectionString).Options)
        : new SqliteFleetDb((DbContextOptions<SqliteFleetDb>)DatabaseSetup.UseSqlite(new DbContextOptionsBuilder<SqliteFleetDb>(), connectionString).Options);

    /// <summary>Every row of every table, as text, in key order: what "without losing a row" compares.</summary>
    private static Dictionary<string, List<string>> Contents(DbConnection c, IReadOnlyDictionary<string, string>? columns = null) => Tables(c).ToDictionary(t => t, t =>
        Query(c, $"SELECT {columns?.GetValueOrDefault(t) ?? "*"} FROM \"{t}\"").Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "∅",
            byte[] b => Convert.ToHexString(b),
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }))).Order(StringComparer.Ordinal).ToList());

    private static List<string> Tables(DbConnection c) =>
        Query(c, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").Select(r => (string)r[0]!).ToList();

    /// <summary>Every table, column (type, nullability, default, key), index (columns, uniqueness, filter), foreign key and trigger, as lines.</summary>
    private static SortedSet<string> Describe(DbConnection c) => c is SqliteConnection ? DescribeSqlite(c) : DescribePostgres(c);

    private static SortedSet<string> DescribeSqlite(DbConnection c)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var t in Tables(c).Where(t => !t.StartsWith("__EFMigrations", StringComparison.Ordinal)))
        {
            var sql = (string)Query(c, $"SELECT sql FROM sqlite_master WHERE type='table' AND name='{t}'").Single()[0]!;
            lines.Add($"table {t}{(sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase) ? " without rowid" : "")}");
            foreach (var col in Query(c, $"PRAGMA table_info('{t}')"))
                lines.Add($"column {t}.{col[1]} type={col[2]} notnull={col[3]} default={col[4]} pk={col[5]}");
            foreach (var fk in Query(c, $"PRAGMA foreign_key_list('{t}')"))
                lines.Add($"fk {t}.{fk[3]} -> {fk[2]}.{fk[4]} on_delete={fk[6]}");
            foreach (var ix in Query(c, $"PRAGMA index_list('{t}')").Where(i => !((string)i[1]!).StartsWith("sqlite_autoindex", StringComparison.Ordinal)))
            {
                var name = (string)ix[1]!;
                var cols = string.Join(",", Query(c, $"PRAGMA index_info('{name}')").Select(r => r[2]));
                var ixSql = Query(c, $"SELECT sql FROM sqlite_master WHERE type='index' AND name='{name}'").Single()[0] as string ?? "";
                var filter = ixSql.Contains(" WHERE ", StringComparison.OrdinalIgnoreCase) ? ixSql[ixSql.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase)..] : "";
                lines.Add($"index {t}.{name} ({cols}) unique={ix[2]}{filter}");
            }
        }
        foreach (var trigger in Query(c, "SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'"))
            lines.Add($"trigger {trigger[1]}.{trigger[0]}");
        return lines;
    }

    private static SortedSet<string> DescribePostgres(DbConnection c)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var col in Query(c, """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__EFMigrations%'
            """))
            lines.Add($"column {col[0]}.{col[1]} type={col[2]}({col[3]}) nullable={col[4]} default={col[5]} identity={col[6]}");
        foreach (var ix in Query(c, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '__EFMigrations%'"))
            lines.Add($"index {ix[0]}.{ix[1]} {ix[2]}");
        foreach (var fk in Query(c, """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND contype IN ('f', 'p', 'u', 'c') AND conrelid::regclass::text NOT LIKE '%EFMigrations%'
            """))
            lines.Add($"constraint {fk[0]}.{fk[1]} {fk[2]}");
        foreach (var trigger in Query(c, "SELECT event_object_table, trigger_name, event_manipulation FROM information_schema.triggers"))
            lines.Add($"trigger {trigger[0]}.{trigger[1]} {trigger[2]}");
        return lines;
    }

    private static List<object?[]> Query(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
