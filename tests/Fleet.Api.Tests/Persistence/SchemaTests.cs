using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Tests.Infrastructure;
using Fleet.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace Fleet.Api.Tests.Persistence;

/// <summary>
/// The migrations are written by hand. This compares the schema they build with the schema EF derives from the
/// model (EnsureCreated), column by column and index by index, so a forgotten or wrong migration fails CI.
/// </summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task MigratedSchemaMatchesWhatTheModelExpects()
    {
        using var app = new FleetApp();
        _ = app.CreateClient(); // starting the app runs the migrations
        using var dir = new TempDirectory();
        var modelPath = dir.File("model.db");
        var options = new DbContextOptionsBuilder<FleetDb>().UseSqlite($"Data Source={modelPath};Pooling=False").Options;
        await using (var db = new FleetDb(options)) await db.Database.EnsureCreatedAsync();

        using var migrated = app.OpenDatabase();
        using var model = new SqliteConnection($"Data Source={modelPath};Pooling=False");
        model.Open();

        var expected = Describe(model);
        var actual = Describe(migrated);
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        (missing.Count + extra.Count).ShouldBe(0,
            $"Schema drift.\nThe model needs (add a migration):\n  {string.Join("\n  ", missing)}\nThe migrations have but the model does not:\n  {string.Join("\n  ", extra)}");
    }

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        using var dir = new TempDirectory();
        using (var first = new FleetApp(dir.Path)) _ = first.CreateClient();
        string before;
        using (var c = new SqliteConnection($"Data Source={dir.File("fleet.db")};Pooling=False")) { c.Open(); before = string.Join("\n", Describe(c)); }
        using (var second = new FleetApp(dir.Path)) _ = second.CreateClient();
        using var again = new SqliteConnection($"Data Source={dir.File("fleet.db")};Pooling=False");
        again.Open();
        string.Join("\n", Describe(again)).ShouldBe(before);
        await Task.CompletedTask;
    }

    [Fact]
    public void TheDatabaseUsesWriteAheadLogging()
    {
        using var app = new FleetApp();
        _ = app.CreateClient();
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        ((string)cmd.ExecuteScalar()!).ShouldBe("wal");
    }

    /// <summary>Every table, column (type, nullability, default, key), index (columns, uniqueness, filter) and foreign key, as lines.</summary>
    private static SortedSet<string> Describe(SqliteConnection c)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        var tables = Query(c, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'")
            .Select(r => (string)r[0]!).ToList();
        foreach (var t in tables)
        {
            lines.Add($"table {t}");
            foreach (var col in Query(c, $"PRAGMA table_info('{t}')"))
                lines.Add($"column {t}.{col[1]} type={col[2]} notnull={col[3]} default={col[4]} pk={col[5]}");
            foreach (var fk in Query(c, $"PRAGMA foreign_key_list('{t}')"))
                lines.Add($"fk {t}.{fk[3]} -> {fk[2]}.{fk[4]} on_delete={fk[6]}");
            foreach (var ix in Query(c, $"PRAGMA index_list('{t}')").Where(i => !((string)i[1]!).StartsWith("sqlite_autoindex", StringComparison.Ordinal)))
            {
                var name = (string)ix[1]!;
                var cols = string.Join(",", Query(c, $"PRAGMA index_info('{name}')").Select(r => r[2]));
                var sql = Query(c, $"SELECT sql FROM sqlite_master WHERE type='index' AND name='{name}'").Single()[0] as string ?? "";
                var filter = sql.Contains(" WHERE ", StringComparison.OrdinalIgnoreCase) ? sql[sql.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase)..] : "";
                lines.Add($"index {t}.{name} ({cols}) unique={ix[2]}{filter}");
            }
        }
        return lines;
    }

    private static List<object?[]> Query(SqliteConnection c, string sql)
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
