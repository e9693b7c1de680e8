using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// Copies the write-ahead log back into the database file on its own connection, off every writer's path.
/// Left to SQLite, the commit that crosses the log's size limit does this itself, inside the write lock: it writes
/// and fsyncs thousands of scattered pages of the database file, and every writer waits behind it (measured under
/// 15,000 events/s: stretches of seconds with nothing stored and an idle CPU, and assignment p99 in the hundreds of
/// milliseconds). A passive checkpoint takes no writer's or reader's lock, so writers go on while it runs.
/// Writers keep an automatic checkpoint as a safety net at <see cref="SafetyNetPages"/>, far above what this keeps.
/// </summary>
public sealed class SqliteCheckpointer(DatabaseOptions options, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    /// <summary>The writers' own automatic checkpoint (pages of 4 KiB): only reached if this service falls far behind.</summary>
    public const int SafetyNetPages = 100_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await using var connection = new SqliteConnection(options.ConnectionString);
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
                var took = Stopwatch.StartNew();
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await cmd.ExecuteNonQueryAsync(ct);
                if (took.Elapsed > TimeSpan.FromSeconds(2))
                    log.LogWarning("A write-ahead log checkpoint took {Seconds:0.0} s; the disk is slow or the log had grown large", took.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: the log keeps every commit, and the writers' safety net checkpoints if this stays down.
                log.LogWarning(e, "A write-ahead log checkpoint failed; retrying");
            }
        }
    }
}
