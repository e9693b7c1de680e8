using System.Text;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Telemetry;
using Fleet.Domain.Hygiene;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The ingest hot path on PostgreSQL: the batch's stored keys are looked up in one query, events and readings are
/// held and written with binary COPY at flush (one round trip per table instead of one per row), and each headset's
/// row gets its newest readings in one batch of updates. All of it inside the write transaction: a key stored by
/// another instance in the meantime makes COPY fail, the batch rolls back and is retried, and then finds the key.
/// </summary>
public sealed class PostgresIngestWriter(NpgsqlConnection connection) : IIngestWriter
{
    private readonly HashSet<(string, Guid)> _stored = [];
    private readonly List<(ValidEventRow Row, string Data)> _events = [];
    private readonly List<SampleRow> _samples = [];
    private readonly LatestReadings _latest = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = [];
    private readonly HashSet<string> _offline = [];
    private readonly List<(string HeadsetId, string Ranges, long LastSeq, long Stored)> _stats = [];

    public async Task PrepareAsync(IReadOnlyCollection<(string HeadsetId, Guid EventId)> events, IReadOnlyDictionary<string, Headset> headsets, CancellationToken ct)
    {
        _latest.Start(headsets);
        if (events.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            SELECT e."HeadsetId", e."EventId" FROM ingested_events e
            JOIN unnest(@headsets, @ids) AS k(h, id) ON e."HeadsetId" = k.h AND e."EventId" = k.id
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("headsets", events.Select(e => e.HeadsetId).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.EventId).ToArray()));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) _stored.Add((r.GetString(0), r.GetGuid(1)));
    }

    public bool InsertEvent(ValidEvent e, DateTimeOffset storedAt, bool keepData)
    {
        if (!_stored.Add((e.HeadsetId, e.Id))) return false;
        _events.Add((new(e.HeadsetId, e.Id, e.Seq, e.Type, e.At, storedAt), keepData ? Encoding.UTF8.GetString(e.DataBytes.Span) : ""));
        return true;
    }

    public void Battery(Guid eventId, string headsetId, DateTimeOffset at, int percent, bool charging, double? temperature, int? health, int? cycles)
    {
        _samples.Add(new(eventId, headsetId, TelemetrySample.Battery, at) { BatteryPercent = percent, Charging = charging, TemperatureC = temperature, HealthPercent = health, CycleCount = cycles });
        _latest.Battery(headsetId, at, percent, charging, temperature, health, cycles);
    }

    public void Device(Guid eventId, string headsetId, DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi)
    {
        _samples.Add(new(eventId, headsetId, TelemetrySample.Device, at) { StorageFreeMb = storageFreeMb, WifiRssi = wifiRssi });
        _latest.Device(headsetId, at, model, firmware, os, storageFreeMb, wifiRssi);
    }

    public void Seen(string headsetId, DateTimeOffset at)
    {
        _offline.Remove(headsetId);
        _seen[headsetId] = at;
    }

    public void Offline(string headsetId)
    {
        _seen.Remove(headsetId);
        _offline.Add(headsetId);
    }

    public void Stats(string headsetId, string ranges, long lastSeq, long stored) => _stats.Add((headsetId, ranges, lastSeq, stored));

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_events.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                """COPY ingested_events ("HeadsetId", "EventId", "Seq", "Type", "At", "StoredAt", "Data") FROM STDIN (FORMAT BINARY)""", ct);
            foreach (var (e, data) in _events)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(e.HeadsetId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.Seq, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Type, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(Utc(e.At), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(Utc(e.StoredAt), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(data, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        if (_samples.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("""
                COPY telemetry_samples ("EventId", "HeadsetId", "Kind", "At", "BatteryPercent", "Charging", "TemperatureC",
                    "HealthPercent", "CycleCount", "StorageFreeMb", "WifiRssi") FROM STDIN (FORMAT BINARY)
                """, ct);
            foreach (var s in _samples)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(s.EventId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(s.HeadsetId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(s.Kind, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(Utc(s.At), NpgsqlDbType.TimestampTz, ct);
                await Nullable(copy, s.BatteryPercent, NpgsqlDbType.Integer, ct);
                await Nullable(copy, s.Charging, NpgsqlDbType.Boolean, ct);
                await Nullable(copy, s.TemperatureC, NpgsqlDbType.Double, ct);
                await Nullable(copy, s.HealthPercent, NpgsqlDbType.Integer, ct);
                await Nullable(copy, s.CycleCount, NpgsqlDbType.Integer, ct);
                await Nullable(copy, s.StorageFreeMb, NpgsqlDbType.Bigint, ct);
                await Nullable(copy, s.WifiRssi, NpgsqlDbType.Integer, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await UpdateHeadsetsAsync(ct);
        _events.Clear();
        _samples.Clear();
        _seen.Clear();
        _offline.Clear();
        _stats.Clear();
    }

    private async Task UpdateHeadsetsAsync(CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        // What the readings leave is decided in Fleet.Domain (Telemetry); these only store it.
        foreach (var (id, t, cycles) in _latest.TakeBattery())
            batch.BatchCommands.Add(Command("""
                UPDATE headsets SET "Telemetry_BatteryPercent" = $2, "Telemetry_Charging" = $3, "Telemetry_BatteryTemperatureC" = $4,
                    "Telemetry_BatteryHealthPercent" = $5, "Telemetry_BatteryCycleCount" = $6, "Telemetry_BatteryAt" = $7, "Counters_BatteryCycles" = $8
                WHERE "Id" = $1
                """, id, (NpgsqlDbType.Integer, t.BatteryPercent), (NpgsqlDbType.Boolean, t.Charging), (NpgsqlDbType.Double, t.BatteryTemperatureC),
                (NpgsqlDbType.Integer, t.BatteryHealthPercent), (NpgsqlDbType.Integer, t.BatteryCycleCount), (NpgsqlDbType.TimestampTz, Utc(t.BatteryAt!.Value)),
                (NpgsqlDbType.Integer, cycles)));
        foreach (var (id, t) in _latest.TakeDevice())
            batch.BatchCommands.Add(Command("""
                UPDATE headsets SET "Telemetry_DeviceModel" = $2, "Telemetry_Firmware" = $3, "Telemetry_Os" = $4, "Telemetry_StorageFreeMb" = $5,
                    "Telemetry_WifiRssi" = $6, "Telemetry_DeviceInfoAt" = $7
                WHERE "Id" = $1
                """, id, (NpgsqlDbType.Varchar, t.DeviceModel), (NpgsqlDbType.Varchar, t.Firmware), (NpgsqlDbType.Varchar, t.Os),
                (NpgsqlDbType.Bigint, t.StorageFreeMb), (NpgsqlDbType.Integer, t.WifiRssi), (NpgsqlDbType.TimestampTz, Utc(t.DeviceInfoAt!.Value))));
        foreach (var (id, at) in _seen)
            batch.BatchCommands.Add(Command("""UPDATE headsets SET "Telemetry_LastSeenAt" = $2, "Telemetry_Online" = TRUE WHERE "Id" = $1""", id, (NpgsqlDbType.TimestampTz, Utc(at))));
        foreach (var id in _offline)
            batch.BatchCommands.Add(Command("""UPDATE headsets SET "Telemetry_Online" = FALSE WHERE "Id" = $1""", id));
        foreach (var (id, ranges, lastSeq, stored) in _stats)
            batch.BatchCommands.Add(Command("""
                INSERT INTO ingest_headset_stats ("HeadsetId", "Ranges", "LastSeq", "Stored") VALUES ($1, $2, $3, $4)
                ON CONFLICT ("HeadsetId") DO UPDATE SET "Ranges" = excluded."Ranges", "LastSeq" = excluded."LastSeq", "Stored" = excluded."Stored"
                """, id, (NpgsqlDbType.Text, ranges), (NpgsqlDbType.Bigint, lastSeq), (NpgsqlDbType.Bigint, stored)));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, string id, params (NpgsqlDbType Type, object? Value)[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        c.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Varchar });
        foreach (var (type, value) in values) c.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        return c;
    }

    private static DateTimeOffset Utc(DateTimeOffset v) => UtcMicrosecondsConverter.Round(v);

    private static Task Nullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    public void Dispose() { }

    private sealed record ValidEventRow(string HeadsetId, Guid EventId, long Seq, string Type, DateTimeOffset At, DateTimeOffset StoredAt);

    private sealed record SampleRow(Guid EventId, string HeadsetId, string Kind, DateTimeOffset At)
    {
        public int? BatteryPercent { get; init; }
        public bool? Charging { get; init; }
        public double? TemperatureC { get; init; }
        public int? HealthPercent { get; init; }
        public int? CycleCount { get; init; }
        public long? StorageFreeMb { get; init; }
        public int? WifiRssi { get; init; }
    }

}
