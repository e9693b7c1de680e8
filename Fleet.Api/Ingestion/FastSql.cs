using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The telemetry hot path: prepared statements run through SQLite's own API (bind, step, reset) on the write
/// transaction's connection, binding text as UTF-16 spans so nothing is allocated per value. Telemetry is nearly all
/// of the traffic; through ADO.NET it cost more than the database work itself (measured: 14 µs against 5 µs per row).
/// Column formats match EF's mapping exactly (times as <see cref="UtcTextConverter"/> writes them, GUIDs upper case).
/// </summary>
public sealed class FastSql : IDisposable
{
    private const int GuidLength = 36;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertEvent, _insertSample, _battery, _device, _seen, _offline;

    // Every reading goes into the series at once; the headset row only needs the newest of the batch, once.
    private readonly Dictionary<string, BatteryReading> _latestBattery = [];
    private readonly Dictionary<string, DeviceReading> _latestDevice = [];

    public FastSql(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
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

    /// <summary>
    /// False when the (headset, id) pair was already stored: a duplicate. Telemetry keeps its values in the series,
    /// so its data is not stored twice; other events keep their data here.
    /// </summary>
    public bool InsertEvent(ValidEvent e, DateTimeOffset storedAt, bool keepData)
    {
        Text(_insertEvent, 1, e.HeadsetId);
        Guid(_insertEvent, 2, e.Id);
        Check(raw.sqlite3_bind_int64(_insertEvent, 3, e.Seq));
        Text(_insertEvent, 4, e.Type);
        Time(_insertEvent, 5, e.At);
        Time(_insertEvent, 6, storedAt);
        Text(_insertEvent, 7, keepData ? e.DataJson : "");
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
    public void FlushLatest()
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

    private void Text(sqlite3_stmt s, int i, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(s, i) : raw.sqlite3_bind_text16(s, i, value.AsSpan()));

    private void Time(sqlite3_stmt s, int i, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[UtcTextConverter.Width];
        UtcTextConverter.Write(value, text);
        Check(raw.sqlite3_bind_text16(s, i, text));
    }

    private void Guid(sqlite3_stmt s, int i, Guid value)
    {
        Span<char> lower = stackalloc char[GuidLength];
        Span<char> text = stackalloc char[GuidLength];
        value.TryFormat(lower, out _, "D");
        lower.ToUpperInvariant(text); // source and destination must not overlap
        Check(raw.sqlite3_bind_text16(s, i, text));
    }

    private void Int(sqlite3_stmt s, int i, int? value) => Check(value is { } v ? raw.sqlite3_bind_int(s, i, v) : raw.sqlite3_bind_null(s, i));

    private void Long(sqlite3_stmt s, int i, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(s, i, v) : raw.sqlite3_bind_null(s, i));

    private void Real(sqlite3_stmt s, int i, double? value) => Check(value is { } v ? raw.sqlite3_bind_double(s, i, v) : raw.sqlite3_bind_null(s, i));

    /// <summary>Steps once and resets; returns the rows changed. Any SQLite error throws (and rolls the batch back).</summary>
    private int Step(sqlite3_stmt stmt)
    {
        try
        {
            var rc = raw.sqlite3_step(stmt);
            if (rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(stmt);
            raw.sqlite3_clear_bindings(stmt);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var stmt));
        return stmt;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
    }

    public void Dispose()
    {
        foreach (var s in new[] { _insertEvent, _insertSample, _battery, _device, _seen, _offline }) s.Dispose();
    }

    private readonly record struct BatteryReading(DateTimeOffset At, int Percent, bool Charging, double? Temperature, int? Health, int? Cycles);

    private readonly record struct DeviceReading(DateTimeOffset At, string? Model, string? Firmware, string? Os, long? StorageFreeMb, int? WifiRssi);
}
