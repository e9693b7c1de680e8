using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Fleet.Api.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Api.Tests.Support;

/// <summary>
/// Which database the API tests run on: <c>FLEET_TEST_DB</c> = sqlite (the default) or postgres, the latter on the
/// cluster named by <c>FLEET_TEST_PG</c> (a connection string without a database; infra/test.sh starts one). Asking
/// for PostgreSQL without a cluster fails the test, it never skips it. Each data directory gets its own database,
/// so an app restarted on the same directory finds its data again, as it finds its SQLite file.
/// </summary>
public static class TestDatabase
{
    public static DatabaseProvider Chosen { get; } = (Environment.GetEnvironmentVariable("FLEET_TEST_DB") ?? "sqlite").ToLowerInvariant() switch
    {
        "sqlite" or "" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        var other => throw new InvalidOperationException($"FLEET_TEST_DB is '{other}'; use sqlite or postgres."),
    };

    public static string Server => Environment.GetEnvironmentVariable("FLEET_TEST_PG") is { Length: > 0 } cs ? cs
        : throw new InvalidOperationException("A test asked for PostgreSQL but FLEET_TEST_PG (a connection string to a cluster) is not set; run the tests through infra/test.sh, which starts one.");

    private static string Maintenance => new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString;

    /// <summary>The database that belongs to a data directory (created when missing), as a connection string.</summary>
    public static string ForDirectory(string dataDirectory)
    {
        var name = NameFor(dataDirectory);
        using var c = new NpgsqlConnection(Maintenance);
        c.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", c) { Parameters = { new() { Value = name } } };
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public static void Drop(string dataDirectory)
    {
        var name = NameFor(dataDirectory);
        NpgsqlConnection.ClearAllPools();
        using var c = new NpgsqlConnection(Maintenance);
        c.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c);
        drop.ExecuteNonQuery();
    }

    /// <summary>The chosen provider's settings for an API started as a process on a data directory.</summary>
    public static Dictionary<string, string> ProcessSettings(string dataDirectory) => new()
    {
        ["Fleet__Database__Provider"] = Chosen.ToString(),
        ["Fleet__Database__ConnectionString"] = ConnectionStringFor(dataDirectory),
    };

    public static string ConnectionStringFor(string dataDirectory) =>
        Chosen == DatabaseProvider.Postgres ? ForDirectory(dataDirectory) : $"Data Source={Path.Combine(dataDirectory, "fleet.db")}";

    /// <summary>A direct connection to the database of a data directory whose app is stopped (or was never started).</summary>
    public static DbConnection OpenForDirectory(string dataDirectory) => Open(Chosen, ConnectionStringFor(dataDirectory));

    public static DbConnection Open(DatabaseProvider provider, string connectionString)
    {
        DbConnection c = provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        c.Open();
        return c;
    }

    private static string NameFor(string dataDirectory) =>
        "fleet_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..24];
}
