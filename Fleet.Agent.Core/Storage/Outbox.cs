using System.Globalization;
using Fleet.Agent.Core.Events;
using Fleet.Contracts.Mqtt;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Core.Storage;

/// <summary>An event as it waits in the outbox: the exact bytes that are published.</summary>
public sealed record OutboxEntry(long Seq, Guid Id, string Type, DateTimeOffset At, byte[] Payload);

/// <summary>What the outbox holds and has done since it was created.</summary>
/// <param name="Depth">Events waiting for PUBACK.</param>
/// <param name="LastSeq">The seq of the newest event ever written (= events produced).</param>
/// <param name="Acknowledged">Events deleted once the API confirmed it had committed them.</param>
/// <param name="Thinned">Telemetry events deleted unsent because the outbox was full.</param>
public readonly record struct OutboxCounts(long Depth, long LastSeq, long Acknowledged, long Thinned);

/// <summary>
/// The agent's durable outbox: one SQLite file per headset (WAL, exclusive lock, so two agents can never share one).
/// Every event is given the next seq and written in ONE transaction, before anyone tries to publish it, and deleted only
/// after its PUBACK. The seq counter lives in the same file, so it survives restarts and a SIGKILL.
/// </summary>
/// <remarks>
/// <para>Bound policy: when an append takes the depth past <see cref="OutboxOptions.MaxEvents"/>, telemetry (heartbeat,
/// battery, device.info) is thinned in the same transaction: every other telemetry event among the oldest ones is deleted
/// until the depth is back to <see cref="OutboxOptions.ThinToFraction"/> of the bound. Older history so keeps half its
/// resolution each time, the newest stays whole, and the API sees the deleted seqs as gaps. Worn, session, cleaning,
/// comfort and command-result events are never deleted before PUBACK: if only they are left, the outbox grows past its
/// bound and says so in the log (at most once a minute).</para>
/// <para>Thread-safe: one lock serialises all access to the connection.</para>
/// </remarks>
public sealed class Outbox : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events(
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, telemetry INTEGER NOT NULL, at TEXT NOT NULL, payload BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS events_telemetry ON events(seq) WHERE telemetry = 1;
        CREATE TABLE IF NOT EXISTS handled_commands(id TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
        """;

    private const int SqliteDbConfigLookaside = 1001;
    private static readonly TimeSpan HandledCommandsKept = TimeSpan.FromDays(30);
    private static readonly TimeSpan OverBoundLogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly SqliteConnection _db;
    private readonly OutboxOptions _options;
    private readonly ILogger _log;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _readAfter;
    private long _seq;
    private long _depth;
    private long _acknowledged;
    private long _thinned;
    private long? _lastOverBoundLog;
    private bool _disposed;

    private Outbox(SqliteConnection db, string headsetId, OutboxOptions options, ILogger log)
    {
        _db = db;
        HeadsetId = headsetId;
        _options = options;
        _log = log;
        _insert = Prepare("INSERT INTO events(seq, id, type, telemetry, at, payload) VALUES ($seq, $id, $type, $telemetry, $at, $payload)",
            "$seq", "$id", "$type", "$telemetry", "$at", "$payload");
        _setMeta = Prepare("INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value", "$key", "$value");
        _delete = Prepare("DELETE FROM events WHERE seq = $seq", "$seq");
        _readAfter = Prepare("SELECT seq, id, type, at, payload FROM events WHERE seq > $after ORDER BY seq LIMIT $limit", "$after", "$limit");
    }

    public string HeadsetId { get; }

    public string Path => _db.DataSource;

    public OutboxCounts Counts
    {
        get
        {
            lock (_lock) return new(_depth, _seq, _acknowledged, _thinned);
        }
    }

    /// <summary>Opens (or creates) the outbox of one headset. Fails if the file belongs to another headset or another process has it open.</summary>
    public static Outbox Open(string path, string headsetId, OutboxOptions? options = null, ILogger? log = null)
    {
        options ??= new OutboxOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEvents, 10);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) OwnerOnlyFiles.CreateDirectory(directory);
        OwnerOnlyFiles.CreateFile(path);
        // No pooling: a pooled connection would keep the file (and its exclusive lock) open after Dispose.
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 2 }.ToString());
        try
        {
            db.Open();
            // No lookaside buffers (about 50 KB per connection): the simulator keeps a thousand outboxes open.
            SQLitePCL.raw.sqlite3_db_config(db.Handle, SqliteDbConfigLookaside, IntPtr.Zero, 0, 0);
            // Page size and cache before the first page is read. Exclusive before the first WAL access: no shared-memory index
            // (no -shm file) and no second writer.
            Execute(db, $"""
                PRAGMA page_size = {options.PageSize};
                PRAGMA cache_size = -{options.CacheKiB};
                PRAGMA locking_mode = EXCLUSIVE;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = {(options.Durability == OutboxDurability.Full ? "FULL" : "NORMAL")};
                PRAGMA wal_autocheckpoint = 200;
                PRAGMA journal_size_limit = 1048576;
                """);
            Execute(db, Schema);
            var outbox = new Outbox(db, headsetId, options, log ?? NullLogger.Instance);
            outbox.Load();
            return outbox;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Gives the event the next seq and a UUID v7, and commits it (with any thinning the bound requires) in one transaction.</summary>
    public OutboxEntry Append(string type, object data, DateTimeOffset at)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _db.BeginTransaction();
            var entry = Insert(tx, type, data, at);
            var thinned = ThinIfFull(tx, _depth + 1);
            tx.Commit();
            Committed(entry, thinned);
            return entry;
        }
    }

    /// <summary>True when a command with this id has already been answered (a QoS 1 redelivery).</summary>
    public bool WasCommandHandled(Guid commandId)
    {
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT 1 FROM handled_commands WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", commandId.ToString("D"));
            return cmd.ExecuteScalar() is not null;
        }
    }

    /// <summary>
    /// Records that a command was handled, its <c>command.result</c> event and any settings it changed, all in one
    /// transaction; null (and nothing written) if the command had already been handled.
    /// </summary>
    public OutboxEntry? AppendCommandResult(CommandResultData result, DateTimeOffset at, IReadOnlyDictionary<string, string>? settings = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _db.BeginTransaction();
            using (var mark = _db.CreateCommand())
            {
                mark.Transaction = tx;
                mark.CommandText = """
                    DELETE FROM handled_commands WHERE at < $cutoff;
                    INSERT OR IGNORE INTO handled_commands(id, at) VALUES ($id, $at);
                    """;
                mark.Parameters.AddWithValue("$cutoff", EventJson.FormatTime(at - HandledCommandsKept));
                mark.Parameters.AddWithValue("$id", result.CommandId.ToString("D"));
                mark.Parameters.AddWithValue("$at", EventJson.FormatTime(at));
                mark.ExecuteNonQuery();
                if (Changes(tx) == 0) return null;
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) SetMeta(tx, "setting:" + key, value);
            var entry = Insert(tx, EventTypes.CommandResult, result, at);
            var thinned = ThinIfFull(tx, _depth + 1);
            tx.Commit();
            Committed(entry, thinned);
            return entry;
        }
    }

    /// <summary>The oldest waiting events after <paramref name="afterSeq"/>, in seq order.</summary>
    public IReadOnlyList<OutboxEntry> ReadAfter(long afterSeq, int limit)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _readAfter.Parameters["$after"].Value = afterSeq;
            _readAfter.Parameters["$limit"].Value = limit;
            _readAfter.Transaction = null;
            var entries = new List<OutboxEntry>();
            using var r = _readAfter.ExecuteReader();
            while (r.Read())
            {
                entries.Add(new OutboxEntry(r.GetInt64(0), Guid.Parse(r.GetString(1)), r.GetString(2),
                    DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetFieldValue<byte[]>(4)));
            }
            return entries;
        }
    }

    /// <summary>Deletes events the API confirmed as committed, in one transaction. Seqs already gone (thinned) are ignored.</summary>
    public void DeleteConfirmed(IReadOnlyCollection<long> seqs)
    {
        if (seqs.Count == 0) return;
        lock (_lock)
        {
            if (_disposed) return; // stopping: they are still in the file and will be published again
            using var tx = _db.BeginTransaction();
            _delete.Transaction = tx;
            long deleted = 0;
            foreach (var seq in seqs)
            {
                _delete.Parameters["$seq"].Value = seq;
                deleted += _delete.ExecuteNonQuery();
            }
            SetMeta(tx, "acked", (_acknowledged + deleted).ToString(CultureInfo.InvariantCulture));
            tx.Commit();
            _depth -= deleted;
            _acknowledged += deleted;
        }
    }

    public string? GetSetting(string key)
    {
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT value FROM meta WHERE key = $key";
            cmd.Parameters.AddWithValue("$key", "setting:" + key);
            return cmd.ExecuteScalar() as string;
        }
    }

    public void SetSetting(string key, string value)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _db.BeginTransaction();
            SetMeta(tx, "setting:" + key, value);
            tx.Commit();
        }
    }

    /// <summary>The time of the oldest waiting event, or null when empty.</summary>
    public DateTimeOffset? OldestAt()
    {
        lock (_lock)
        {
            if (_disposed) return null;
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT at FROM events ORDER BY seq LIMIT 1";
            return cmd.ExecuteScalar() is string at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var c in new[] { _insert, _setMeta, _delete, _readAfter }) c.Dispose();
            _db.Dispose();
        }
    }

    private void Load()
    {
        using var tx = _db.BeginTransaction();
        var meta = new Dictionary<string, object>();
        using (var cmd = _db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT key, value FROM meta WHERE key IN ('headset', 'seq', 'acked', 'thinned')";
            using var r = cmd.ExecuteReader();
            while (r.Read()) meta[r.GetString(0)] = r.GetValue(1);
        }
        if (meta.TryGetValue("headset", out var owner) && (string)owner != HeadsetId)
            throw new InvalidOperationException($"The outbox {Path} belongs to headset {owner}, not {HeadsetId}.");
        // Writing now takes the exclusive lock at once, so a second agent on this file fails here, not on its first event.
        SetMeta(tx, "headset", HeadsetId);
        tx.Commit();
        _seq = Convert.ToInt64(meta.GetValueOrDefault("seq", 0L), CultureInfo.InvariantCulture);
        _acknowledged = Convert.ToInt64(meta.GetValueOrDefault("acked", 0L), CultureInfo.InvariantCulture);
        _thinned = Convert.ToInt64(meta.GetValueOrDefault("thinned", 0L), CultureInfo.InvariantCulture);
        using var count = _db.CreateCommand();
        count.CommandText = "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events";
        using var c = count.ExecuteReader();
        c.Read();
        _depth = c.GetInt64(0);
        // Defensive: a seq in the table is never reused, even if the counter row were somehow behind.
        _seq = Math.Max(_seq, c.GetInt64(1));
    }

    private OutboxEntry Insert(SqliteTransaction tx, string type, object data, DateTimeOffset at)
    {
        at = EventJson.ToMilliseconds(at);
        var seq = _seq + 1;
        var id = Guid.CreateVersion7(at);
        var payload = EventJson.Envelope(id, HeadsetId, seq, type, at, data);
        _insert.Transaction = tx;
        _insert.Parameters["$seq"].Value = seq;
        _insert.Parameters["$id"].Value = id.ToString("D");
        _insert.Parameters["$type"].Value = type;
        _insert.Parameters["$telemetry"].Value = EventTypes.IsTelemetry(type) ? 1 : 0;
        _insert.Parameters["$at"].Value = EventJson.FormatTime(at);
        _insert.Parameters["$payload"].Value = payload;
        _insert.ExecuteNonQuery();
        SetMeta(tx, "seq", seq.ToString(CultureInfo.InvariantCulture));
        return new OutboxEntry(seq, id, type, at, payload);
    }

    private void Committed(OutboxEntry entry, long thinned)
    {
        _seq = entry.Seq;
        _depth += 1 - thinned;
        _thinned += thinned;
    }

    /// <summary>Deletes every other one of the oldest telemetry events until the depth is back under the target.</summary>
    private long ThinIfFull(SqliteTransaction tx, long depth)
    {
        if (depth <= _options.MaxEvents) return 0;
        var excess = depth - (long)(_options.MaxEvents * _options.ThinToFraction);
        long removed = 0;
        using var oldest = _db.CreateCommand();
        oldest.Transaction = tx;
        oldest.CommandText = "SELECT seq FROM events WHERE telemetry = 1 ORDER BY seq LIMIT $n";
        var n = oldest.Parameters.Add("$n", SqliteType.Integer);
        _delete.Transaction = tx;
        while (removed < excess)
        {
            n.Value = 2 * (excess - removed);
            var seqs = new List<long>();
            using (var r = oldest.ExecuteReader())
                while (r.Read()) seqs.Add(r.GetInt64(0));
            if (seqs.Count == 0) break;
            // Every other one; a single one left is simply the oldest.
            foreach (var seq in seqs.Count == 1 ? seqs : seqs.Where((_, i) => i % 2 == 1))
            {
                _delete.Parameters["$seq"].Value = seq;
                removed += _delete.ExecuteNonQuery();
            }
        }
        if (removed > 0) SetMeta(tx, "thinned", (_thinned + removed).ToString(CultureInfo.InvariantCulture));
        if (depth - removed > _options.MaxEvents) LogOverBound(depth - removed);
        return removed;
    }

    private void LogOverBound(long depth)
    {
        var now = Environment.TickCount64;
        if (now - _lastOverBoundLog < (long)OverBoundLogInterval.TotalMilliseconds) return;
        _lastOverBoundLog = now;
        _log.LogWarning("{Headset}: the outbox holds {Depth} events, over its bound of {Max}, and none of them may be dropped " +
            "(worn, session, cleaning, comfort and command results are kept until the broker acknowledges them)", HeadsetId, depth, _options.MaxEvents);
    }

    private void SetMeta(SqliteTransaction tx, string key, string value)
    {
        _setMeta.Transaction = tx;
        _setMeta.Parameters["$key"].Value = key;
        _setMeta.Parameters["$value"].Value = value;
        _setMeta.ExecuteNonQuery();
    }

    private long Changes(SqliteTransaction tx)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT changes()";
        return (long)cmd.ExecuteScalar()!;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
        return cmd;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
