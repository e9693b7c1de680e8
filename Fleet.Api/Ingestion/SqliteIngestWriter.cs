using System.Buffers;
using System.Text;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The telemetry hot path on SQLite: prepared statements run through SQLite's own API (bind, step, reset) on the write
/// transaction's connection, binding UTF-8 text (the database encoding) from stack buffers, so nothing is allocated or
/// converted per value. Telemetry is nearly all of the traffic; through ADO.NET it cost more than the database work
/// itself (measured: 14 µs against 5 µs per row).
/// Column formats match EF's mapping exactly (times as <see cref="UtcTextConverter"/> writes them, GUIDs upper case).
/// </summary>
public sealed class SqliteIngestWriter : IIngestWriter
{
    private const int GuidLength = 36;
    private readonly sqlite3 _db;
    private readonly nint _dbHandle;
    private readonly Statement _insertEvent, _insertSample, _battery, _device, _seen, _offline;

    // Every reading goes into the series at once; the headset row only needs the newest of the batch, once.
    private readonly Dictionary<string, BatteryReading> _latestBattery = [];
    private readonly Dictionary<string, DeviceReading> _latestDevice = [];

    public SqliteIngestWriter(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _dbHandle = _db.DangerousGetHandle();
        _insertEvent = Prepare("""
            INSERT OR IGNORE INTO ingested_events (HeadsetId, EventId, Seq, Type, At, StoredAt, Data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        _insertSample = Prepare("""
            INSERT OR IGNORE INTO telemetry_samples (HeadsetId, Kind, At, EventId, BatteryPercent, Charging, TemperatureC, HealthPercent, CycleCount, StorageFreeMb, WifiRssi)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            """);
        // Only a newer reading replaces the latest one: an outbox replaying old events must not roll the state back.
        _battery = Prepare("""
            UPDATE headsets SET Telemetry_BatteryPercent = ?2, Telemetry_Charging = ?3,
                Telemetry_BatteryTemperatureC = coalesce(?4, Telemetry_BatteryTemperatureC),
                Telemetry_BatteryHealthPercent = coalesce(?5, Telemetry_BatteryHealthPercent),
                Telemetry_BatteryCycleCount = coalesce(?6, Telemetry_BatteryCycleCount), Telemetry_BatteryAt = ?7,
                Counters_BatteryCycles = max(Counters_BatteryCycles, coalesce(?6, 0))
            WHERE Id = ?1 AND (Telemetry_BatteryAt IS NULL OR Telemetry_BatteryAt <= ?7)
            """);
        _device = Prepare("""
            UPDATE headsets SET Telemetry_DeviceModel = coalesce(?2, Telemetry_DeviceModel), Telemetry_Firmware = coalesce(?3, Telemetry_Firmware),
                Telemetry_Os = coalesce(?4, Telemetry_Os), Telemetry_StorageFreeMb = coalesce(?5, Telemetry_StorageFreeMb),
                Telemetry_WifiRssi = coalesce(?6, Telemetry_WifiRssi), Telemetry_DeviceInfoAt = ?7
            WHERE Id = ?1 AND (Telemetry_DeviceInfoAt IS NULL OR Telemetry_DeviceInfoAt <= ?7)
            """);
        _seen = Prepare("UPDATE headsets SET Telemetry_LastSeenAt = ?2, Telemetry_Online = 1 WHERE Id = ?1");
        _offline = Prepare("UPDATE headsets SET Telemetry_Online = 0 WHERE Id = ?1");
    }

    /// <summary>Nothing to look up first: each insert says itself whether the event was already stored.</summary>
    public Task PrepareAsync(IReadOnlyCollection<(string HeadsetId, Guid EventId)> events, CancellationToken ct) => Task.CompletedTask;

    public bool InsertEvent(ValidEvent e, DateTimeOffset storedAt, bool keepData)
    {
        Text(_insertEvent, 1, e.HeadsetId);
        Guid(_insertEvent, 2, e.Id);
        Long(_insertEvent, 3, e.Seq);
        Text(_insertEvent, 4, e.Type);
        Time(_insertEvent, 5, e.At);
        Time(_insertEvent, 6, storedAt);
        Utf8(_insertEvent, 7, keepData ? e.DataBytes.Span : []);
        return Step(_insertEvent) == 1;
    }

    public void Battery(Guid eventId, string headsetId, DateTimeOffset at, int percent, bool charging, double? temperature, int? health, int? cycles)
    {
        Sample(eventId, headsetId, TelemetrySample.Battery, at);
        Int(_insertSample, 5, percent);
        Int(_insertSample, 6, charging ? 1 : 0);
        Real(_insertSample, 7, temperature);
        Int(_insertSample, 8, health);
        Int(_insertSample, 9, cycles);
        Step(_insertSample);
        if (!_latestBattery.TryGetValue(headsetId, out var current) || current.At <= at)
            _latestBattery[headsetId] = new(at, percent, charging, temperature, health, cycles);
    }

    public void Device(Guid eventId, string headsetId, DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi)
    {
        Sample(eventId, headsetId, TelemetrySample.Device, at);
        Long(_insertSample, 10, storageFreeMb);
        Int(_insertSample, 11, wifiRssi);
        Step(_insertSample);
        if (!_latestDevice.TryGetValue(headsetId, out var current) || current.At <= at)
            _latestDevice[headsetId] = new(at, model, firmware, os, storageFreeMb, wifiRssi);
    }

    /// <summary>Writes the newest reading of the batch into each headset's row (the row's own time guard still applies).</summary>
    public Task FlushAsync(CancellationToken ct)
    {
        FlushLatest();
        return Task.CompletedTask;
    }

    private void FlushLatest()
    {
        foreach (var (id, r) in _latestBattery)
        {
            Text(_battery, 1, id);
            Int(_battery, 2, r.Percent);
            Int(_battery, 3, r.Charging ? 1 : 0);
            Real(_battery, 4, r.Temperature);
            Int(_battery, 5, r.Health);
            Int(_battery, 6, r.Cycles);
            Time(_battery, 7, r.At);
            Step(_battery);
        }
        foreach (var (id, r) in _latestDevice)
        {
            Text(_device, 1, id);
            Text(_device, 2, r.Model);
            Text(_device, 3, r.Firmware);
            Text(_device, 4, r.Os);
            Long(_device, 5, r.StorageFreeMb);
            Int(_device, 6, r.WifiRssi);
            Time(_device, 7, r.At);
            Step(_device);
        }
        _latestBattery.Clear();
        _latestDevice.Clear();
    }

    public void Seen(string headsetId, DateTimeOffset at)
    {
        Text(_seen, 1, headsetId);
        Time(_seen, 2, at);
        Step(_seen);
    }

    public void Offline(string headsetId)
    {
        Text(_offline, 1, headsetId);
        Step(_offline);
    }

    private void Sample(Guid eventId, string headsetId, string kind, DateTimeOffset at)
    {
        Text(_insertSample, 1, headsetId);
        Text(_insertSample, 2, kind);
        Time(_insertSample, 3, at);
        Guid(_insertSample, 4, eventId);
    }

    private static void Text(Statement s, int i, string? value)
    {
        if (value is null)
        {
            s.Check(SqliteNative.sqlite3_bind_null(s.Handle, i));
            return;
        }
        // Ids, types and device strings are short; the contract's 4 KiB payload bound keeps the rest small too.
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        Utf8(s, i, buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>Binds UTF-8 text, the database's own encoding, so SQLite does not convert it (as it must UTF-16).</summary>
    private static unsafe void Utf8(Statement s, int i, ReadOnlySpan<byte> text)
    {
        byte empty = 0; // a null pointer would bind NULL, not ''
        fixed (byte* p = text)
            s.Check(SqliteNative.sqlite3_bind_text(s.Handle, i, text.IsEmpty ? &empty : p, text.Length, SqliteNative.Transient));
    }

    private static void Time(Statement s, int i, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[UtcTextConverter.Width];
        Span<byte> utf8 = stackalloc byte[UtcTextConverter.Width];
        UtcTextConverter.Write(value, text);
        Utf8(s, i, utf8[..Encoding.ASCII.GetBytes(text, utf8)]);
    }

    /// <summary>As EF stores a Guid: upper-case "D" text.</summary>
    private static void Guid(Statement s, int i, Guid value)
    {
        Span<byte> text = stackalloc byte[GuidLength];
        value.TryFormat(text, out _, "D");
        foreach (ref var c in text)
            if (c is >= (byte)'a' and <= (byte)'f') c -= 'a' - 'A';
        Utf8(s, i, text);
    }

    private static void Int(Statement s, int i, int? value) => Long(s, i, value);

    private static void Long(Statement s, int i, long? value) =>
        s.Check(value is { } v ? SqliteNative.sqlite3_bind_int64(s.Handle, i, v) : SqliteNative.sqlite3_bind_null(s.Handle, i));

    private static void Real(Statement s, int i, double? value) =>
        s.Check(value is { } v ? SqliteNative.sqlite3_bind_double(s.Handle, i, v) : SqliteNative.sqlite3_bind_null(s.Handle, i));

    /// <summary>Steps once and resets; returns the rows changed. Any SQLite error throws (and rolls the batch back).</summary>
    private int Step(Statement s)
    {
        try
        {
            var rc = SqliteNative.sqlite3_step(s.Handle);
            if (rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
            return SqliteNative.sqlite3_changes(_dbHandle);
        }
        finally
        {
            SqliteNative.sqlite3_reset(s.Handle);
            SqliteNative.sqlite3_clear_bindings(s.Handle);
        }
    }

    private Statement Prepare(string sql)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out var stmt), _db);
        return new Statement(stmt, _db);
    }

    public void Dispose()
    {
        foreach (var s in new[] { _insertEvent, _insertSample, _battery, _device, _seen, _offline }) s.Owner.Dispose();
    }

    /// <summary>A prepared statement: its SafeHandle (kept alive and disposed here) and the raw pointer the binds use.</summary>
    private sealed class Statement(sqlite3_stmt owner, sqlite3 db)
    {
        public sqlite3_stmt Owner { get; } = owner;
        public nint Handle { get; } = owner.DangerousGetHandle();

        public void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, db);
    }

    private readonly record struct BatteryReading(DateTimeOffset At, int Percent, bool Charging, double? Temperature, int? Health, int? Cycles);

    private readonly record struct DeviceReading(DateTimeOffset At, string? Model, string? Firmware, string? Os, long? StorageFreeMb, int? WifiRssi);
}
