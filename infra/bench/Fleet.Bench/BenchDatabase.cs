using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Fleet.Testing.Processes;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fleet.Bench;

/// <summary>
/// The database a benchmark's API runs on: SQLite in the API's data directory, or a PostgreSQL cluster of its own from
/// infra/postgres/cluster.sh with durable settings (fsync and synchronous commit on, as SQLite's synchronous=FULL), so
/// the two are compared doing the same promise. Reads what a report needs: stored events' latency, size on disk, and
/// the database server's CPU.
/// </summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>The API's settings for this database.</summary>
    public abstract IReadOnlyDictionary<string, string> ApiSettings(string dataDirectory);

    /// <summary>Publish-to-commit latency (event `at` to `StoredAt`) of every event stored since <paramref name="since"/>, in ms, sorted.</summary>
    public abstract List<double> Latencies(string dataDirectory, DateTimeOffset since);

    /// <summary>An open connection of the benchmark's own to the API's database (for seeding and measuring beside the API).</summary>
    public abstract DbConnection Open(string dataDirectory);

    /// <summary>A time as the API's SQLite columns hold it (EF's UtcTextConverter): UTC, seven decimals, so text order is time order.</summary>
    public static string SqliteTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Bytes the database takes on disk now (after a checkpoint, so the log is counted once).</summary>
    public abstract long Bytes(string dataDirectory);

    /// <summary>CPU seconds used so far by the database server's processes (0 for SQLite, which runs inside the API).</summary>
    public abstract double ServerCpuSeconds();

    public abstract ValueTask DisposeAsync();

    public static async Task<BenchDatabase> StartAsync(string kind) => kind switch
    {
        "sqlite" => new SqliteBench(),
        // Directly under the temp folder: as root, the cluster runs as the system user fleetpg, who must reach it.
        "postgres" => await PostgresBench.StartClusterAsync(Directory.CreateTempSubdirectory("fleet-bench-pg.").FullName),
        _ => throw new ArgumentException($"--db {kind}: use sqlite or postgres"),
    };

    protected static List<double> Sorted(List<double> values)
    {
        values.Sort();
        return values;
    }

    private sealed class SqliteBench : BenchDatabase
    {
        public override string Name => "SQLite";

        public override IReadOnlyDictionary<string, string> ApiSettings(string dataDirectory) => new Dictionary<string, string>();

        public override List<double> Latencies(string dataDirectory, DateTimeOffset since)
        {
            using var db = new SqliteConnection($"Data Source={File(dataDirectory)};Mode=ReadOnly;Pooling=False");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT (julianday(StoredAt) - julianday(At)) * 86400000.0 FROM ingested_events WHERE StoredAt >= $since";
            cmd.Parameters.AddWithValue("$since", SqliteTime(since));
            var values = new List<double>();
            using (var r = cmd.ExecuteReader()) while (r.Read()) values.Add(r.GetDouble(0));
            return Sorted(values);
        }

        public override long Bytes(string dataDirectory)
        {
            using (var db = new SqliteConnection($"Data Source={File(dataDirectory)};Pooling=False"))
            {
                db.Open();
                using var cmd = db.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                cmd.ExecuteNonQuery();
            }
            return new FileInfo(File(dataDirectory)).Length;
        }

        public override DbConnection Open(string dataDirectory)
        {
            var db = new SqliteConnection($"Data Source={File(dataDirectory)};Pooling=False");
            db.Open();
            return db;
        }

        public override double ServerCpuSeconds() => 0;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static string File(string dataDirectory) => Path.Combine(dataDirectory, "fleet.db");
    }

    private sealed class PostgresBench(string dir, string connectionString) : BenchDatabase
    {
        private const string Database = "fleet_bench";

        public override string Name => "PostgreSQL";

        public static async Task<PostgresBench> StartClusterAsync(string dir)
        {
            var output = await RunAsync("start", dir);
            var line = output.Split('\n').First(l => l.StartsWith("FLEET_PG_CONNECTION=", StringComparison.Ordinal));
            var connection = line["FLEET_PG_CONNECTION=".Length..].Trim('\'', ' ', '\r');
            return new PostgresBench(dir, $"{connection};Database={Database}");
        }

        public override IReadOnlyDictionary<string, string> ApiSettings(string dataDirectory) => new Dictionary<string, string>
        {
            ["Fleet__Database__Provider"] = "Postgres", ["Fleet__Database__ConnectionString"] = connectionString,
        };

        public override List<double> Latencies(string dataDirectory, DateTimeOffset since)
        {
            using var db = new NpgsqlConnection(connectionString);
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = """SELECT EXTRACT(EPOCH FROM ("StoredAt" - "At")) * 1000.0 FROM ingested_events WHERE "StoredAt" >= @since""";
            cmd.Parameters.AddWithValue("since", since.UtcDateTime);
            var values = new List<double>();
            using (var r = cmd.ExecuteReader()) while (r.Read()) values.Add(Convert.ToDouble(r.GetValue(0), CultureInfo.InvariantCulture));
            return Sorted(values);
        }

        public override long Bytes(string dataDirectory)
        {
            using var db = new NpgsqlConnection(connectionString);
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT pg_database_size('{Database}')";
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        public override DbConnection Open(string dataDirectory)
        {
            var db = new NpgsqlConnection(connectionString);
            db.Open();
            return db;
        }

        /// <summary>The postmaster and every process it started (one backend per API connection).</summary>
        public override double ServerCpuSeconds()
        {
            var pidFile = Path.Combine(dir, "data", "postmaster.pid");
            if (!File.Exists(pidFile)) return 0;
            var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            var total = 0.0;
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
                try
                {
                    if (pid == postmaster || ParentOf(pid) == postmaster) total += ProcessStats.CpuSeconds(pid);
                }
                catch (IOException) { } // a backend that ended while we looked
                catch (UnauthorizedAccessException) { }
            }
            return total;
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync("stop", dir);
            Directory.Delete(dir, recursive: true);
        }

        private static int ParentOf(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }

        private static async Task<string> RunAsync(string command, string dir)
        {
            var psi = new ProcessStartInfo("bash", [Path.Combine(RepositoryPaths.Root, "infra", "postgres", "cluster.sh"), command, dir])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stdout = await p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {command} failed: {stderr}");
            return stdout;
        }
    }
}
