using Fleet.Api.Infrastructure.Data;
using Fleet.Domain.Hygiene;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The ingest hot path (stored events, the telemetry series and each headset's latest readings), written beside EF
/// in the same transaction because telemetry is nearly all of the traffic. One writer per provider; both write rows
/// that EF reads exactly as it reads its own (FastPathFormatTests).
/// Call order per batch: <see cref="PrepareAsync"/> once, then the writes, then <see cref="FlushAsync"/> before commit.
/// </summary>
public interface IIngestWriter : IDisposable
{
    /// <summary>
    /// Told every (headset, event id) of the batch up front, so a writer may look up the stored ones at once, and the
    /// batch's headset rows as read in the transaction (untracked), on which the reading rules are decided.
    /// </summary>
    Task PrepareAsync(IReadOnlyCollection<(string HeadsetId, Guid EventId)> events, IReadOnlyDictionary<string, Headset> headsets, CancellationToken ct);

    /// <summary>
    /// False when the (headset, id) pair was already stored: a duplicate. Telemetry keeps its values in the series,
    /// so its data is not stored twice; other events keep their data here.
    /// </summary>
    bool InsertEvent(ValidEvent e, DateTimeOffset storedAt, bool keepData);

    void Battery(Guid eventId, string headsetId, DateTimeOffset at, int percent, bool charging, double? temperature, int? health, int? cycles);

    void Device(Guid eventId, string headsetId, DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi);

    void Seen(string headsetId, DateTimeOffset at);

    void Offline(string headsetId);

    /// <summary>
    /// A headset's ingest statistics as the batch leaves them (seq ranges received, last seq, events stored), inserted
    /// or replaced. Written here rather than through EF: every batch rewrites one row per headset in it, and through EF's
    /// change tracker that cost more per headset than the readings themselves.
    /// </summary>
    void Stats(string headsetId, string ranges, long lastSeq, long stored);

    /// <summary>Writes whatever is still held back, into the open transaction.</summary>
    Task FlushAsync(CancellationToken ct);
}

public static class IngestWriters
{
    /// <summary>The writer for the context's provider, on its connection (inside the write transaction).</summary>
    public static IIngestWriter Open(FleetDb db) => db.Database.GetDbConnection() switch
    {
        SqliteConnection sqlite => new SqliteIngestWriter(sqlite),
        NpgsqlConnection pg => new PostgresIngestWriter(pg),
        var other => throw new NotSupportedException($"No ingest writer for {other.GetType().Name}."),
    };
}
