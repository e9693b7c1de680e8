using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Microsoft.Data.Sqlite;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Prepared statements for the telemetry hot path, run on the write transaction's own connection. Telemetry is
/// nearly all of the traffic; going through the change tracker for it would cost most of the ingest budget.
/// Column formats match EF's mapping exactly (times via <see cref="UtcTextConverter"/>, GUIDs as upper-case text).
/// </summary>
public sealed class FastSql : IDisposable
{
    private readonly SqliteCommand _insertEvent, _insertSample, _battery, _device, _seen, _offline;

    public FastSql(SqliteConnection c, SqliteTransaction tx)
    {
        _insertEvent = Prepare(c, tx, """
            INSERT OR IGNORE INTO ingested_events (HeadsetId, EventId, Seq, Type, At, StoredAt, Data)
            VALUES ($h, $e, $s, $t, $a, $st, $d)
            """, "$h", "$e", "$s", "$t", "$a", "$st", "$d");
        _insertSample = Prepare(c, tx, """
            INSERT INTO telemetry_samples (HeadsetId, Kind, At, BatteryPercent, Charging, TemperatureC, HealthPercent, CycleCount, StorageFreeMb, WifiRssi)
            VALUES ($h, $k, $a, $p, $c, $t, $hp, $cc, $sf, $w)
            """, "$h", "$k", "$a", "$p", "$c", "$t", "$hp", "$cc", "$sf", "$w");
        // Only a newer reading replaces the latest one: an outbox replaying old events must not roll the state back.
        _battery = Prepare(c, tx, """
            UPDATE headsets SET Telemetry_BatteryPercent = $p, Telemetry_Charging = $c,
                Telemetry_BatteryTemperatureC = coalesce($t, Telemetry_BatteryTemperatureC),
                Telemetry_BatteryHealthPercent = coalesce($hp, Telemetry_BatteryHealthPercent),
                Telemetry_BatteryCycleCount = coalesce($cc, Telemetry_BatteryCycleCount), Telemetry_BatteryAt = $a,
                Counters_BatteryCycles = max(Counters_BatteryCycles, coalesce($cc, 0))
            WHERE Id = $h AND (Telemetry_BatteryAt IS NULL OR Telemetry_BatteryAt <= $a)
            """, "$h", "$p", "$c", "$t", "$hp", "$cc", "$a");
        _device = Prepare(c, tx, """
            UPDATE headsets SET Telemetry_DeviceModel = coalesce($m, Telemetry_DeviceModel), Telemetry_Firmware = coalesce($f, Telemetry_Firmware),
                Telemetry_Os = coalesce($o, Telemetry_Os), Telemetry_StorageFreeMb = coalesce($sf, Telemetry_StorageFreeMb),
                Telemetry_WifiRssi = coalesce($w, Telemetry_WifiRssi), Telemetry_DeviceInfoAt = $a
            WHERE Id = $h AND (Telemetry_DeviceInfoAt IS NULL OR Telemetry_DeviceInfoAt <= $a)
            """, "$h", "$m", "$f", "$o", "$sf", "$w", "$a");
        _seen = Prepare(c, tx, "UPDATE headsets SET Telemetry_LastSeenAt = $at, Telemetry_Online = 1 WHERE Id = $h", "$h", "$at");
        _offline = Prepare(c, tx, "UPDATE headsets SET Telemetry_Online = 0 WHERE Id = $h", "$h");
    }

    /// <summary>False when the (headset, id) pair was already stored: a duplicate.</summary>
    public bool InsertEvent(ValidEvent e, DateTimeOffset storedAt) =>
        Run(_insertEvent, e.HeadsetId, Text(e.Id), e.Seq, e.Type, Time(e.At), Time(storedAt), e.DataJson) == 1;

    public void Battery(string headsetId, DateTimeOffset at, int percent, bool charging, double? temperature, int? health, int? cycles)
    {
        Run(_insertSample, headsetId, TelemetrySample.Battery, Time(at), percent, charging, temperature, health, cycles, null, null);
        Run(_battery, headsetId, percent, charging, temperature, health, cycles, Time(at));
    }

    public void Device(string headsetId, DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi)
    {
        Run(_insertSample, headsetId, TelemetrySample.Device, Time(at), null, null, null, null, null, storageFreeMb, wifiRssi);
        Run(_device, headsetId, model, firmware, os, storageFreeMb, wifiRssi, Time(at));
    }

    public void Seen(string headsetId, DateTimeOffset at) => Run(_seen, headsetId, Time(at));

    public void Offline(string headsetId) => Run(_offline, headsetId);

    public static string Text(Guid g) => g.ToString().ToUpperInvariant();

    private static string Time(DateTimeOffset t) => UtcTextConverter.Format(t);

    private static int Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        return cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection c, SqliteTransaction tx, string sql, params string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        cmd.Prepare();
        return cmd;
    }

    public void Dispose()
    {
        foreach (var c in new[] { _insertEvent, _insertSample, _battery, _device, _seen, _offline }) c.Dispose();
    }
}
