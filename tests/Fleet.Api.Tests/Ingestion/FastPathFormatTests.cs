using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Ingestion;
using Fleet.Api.Telemetry;
using Fleet.Api.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>
/// The ingest writers (SQLite's own API; PostgreSQL's binary COPY) write rows bypassing EF: what they write must be
/// exactly what EF writes for the same values, or EF's queries (by id, by time) would silently miss or misorder those
/// rows. Runs on the provider the test run is on (infra/test.sh runs both).
/// </summary>
public sealed class FastPathFormatTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RowsWrittenByTheIngestWriterAreWhatEfWritesForTheSameValues()
    {
        var at = new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var stored = at.AddSeconds(3);
        var fastId = Guid.Parse("0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d");
        var efId = Guid.Parse("0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8e");
        const string data = """{"sessionId":"s-1","app":"com.vendor.therapy – ä"}""";

        await WriteAsync(sql =>
        {
            using var e = new ValidEvent
            {
                Id = fastId, HeadsetId = "HS-0001", Seq = 7, Type = "session.started", At = at, DataBytes = System.Text.Encoding.UTF8.GetBytes(data),
            };
            sql.InsertEvent(e, stored, keepData: true).ShouldBeTrue();
            sql.InsertEvent(e, stored, keepData: true).ShouldBeFalse(); // (headset, id) stored at most once
            sql.Battery(fastId, "HS-0001", at, 81, false, 31.5, null, 143);
        });
        // Stored before: a later batch finds it (the PostgreSQL writer looks the batch's keys up first).
        await WriteAsync(sql =>
        {
            using var again = new ValidEvent { Id = fastId, HeadsetId = "HS-0001", Seq = 7, Type = "session.started", At = at, DataBytes = "{}"u8.ToArray() };
            sql.InsertEvent(again, stored, keepData: true).ShouldBeFalse();
        }, (("HS-0001", fastId)));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
            db.Add(new IngestedEvent { HeadsetId = "HS-0002", EventId = efId, Seq = 7, Type = "session.started", At = at, StoredAt = stored, Data = data });
            db.Add(new TelemetrySample
            {
                EventId = efId, HeadsetId = "HS-0002", Kind = TelemetrySample.Battery, At = at, BatteryPercent = 81, Charging = false, TemperatureC = 31.5, CycleCount = 143,
            });
            await db.SaveChangesAsync();
        }

        using var c = _app.OpenDatabase();
        var typeOfData = _app.OnPostgres ? "pg_typeof(\"Data\")::text" : "typeof(\"Data\")";
        var events = $"""SELECT "Seq", "Type", "At", "StoredAt", "Data", {typeOfData} FROM ingested_events WHERE "HeadsetId" = """;
        Row(c, events + "'HS-0001'").ShouldBe(Row(c, events + "'HS-0002'"));
        const string samples = """SELECT "Kind", "At", "BatteryPercent", "Charging", "TemperatureC", "HealthPercent", "CycleCount", "StorageFreeMb", "WifiRssi" FROM telemetry_samples WHERE "HeadsetId" = """;
        Row(c, samples + "'HS-0001'").ShouldBe(Row(c, samples + "'HS-0002'"));
        // SQLite has no uuid type: both must store EF's upper-case text. PostgreSQL stores a uuid either way.
        var idText = (Guid id) => _app.OnPostgres ? id.ToString("D") : id.ToString("D").ToUpperInvariant();
        foreach (var (table, headset, id) in new[] { ("ingested_events", "HS-0001", fastId), ("ingested_events", "HS-0002", efId), ("telemetry_samples", "HS-0001", fastId), ("telemetry_samples", "HS-0002", efId) })
            Row(c, $"""SELECT "EventId" FROM {table} WHERE "HeadsetId" = '{headset}'""").ShouldBe([idText(id)]);

        // And EF finds the fast path's rows by the values it was given.
        await using var read = _app.Services.CreateAsyncScope();
        var fleet = read.ServiceProvider.GetRequiredService<FleetDb>();
        var row = await fleet.Set<IngestedEvent>().SingleAsync(e => e.EventId == fastId && e.At == at);
        row.Data.ShouldBe(data);
        (await fleet.Set<TelemetrySample>().CountAsync(s => s.EventId == fastId && s.At >= at)).ShouldBe(1);
        var latest = (await fleet.Headsets.AsNoTracking().SingleAsync(h => h.Id == "HS-0001")).Telemetry;
        (latest.BatteryPercent, latest.BatteryCycleCount, latest.BatteryTemperatureC, latest.BatteryAt).ShouldBe((81, 143, 31.5, (DateTimeOffset?)(_app.OnPostgres ? UtcMicrosecondsConverter.Round(at) : at)));
    }

    [Fact]
    public async Task IngestStatisticsWrittenByTheIngestWriterAreWhatEfWritesAndAreReplacedNotAdded()
    {
        await WriteAsync(sql => sql.Stats("HS-0001", "1-3,5-9", 9, 8));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
            db.Add(new IngestHeadsetStats { HeadsetId = "HS-0002", Ranges = "1-3,5-9", LastSeq = 9, Stored = 8 });
            await db.SaveChangesAsync();
        }
        using (var c = _app.OpenDatabase())
        {
            const string stats = """SELECT "Ranges", "LastSeq", "Stored" FROM ingest_headset_stats WHERE "HeadsetId" = """;
            Row(c, stats + "'HS-0001'").ShouldBe(Row(c, stats + "'HS-0002'"));
        }

        // A later batch's row replaces the first (the batch computes the totals from the row it read).
        await WriteAsync(sql => sql.Stats("HS-0001", "1-12", 12, 11));
        await using var read = _app.Services.CreateAsyncScope();
        var row = await read.ServiceProvider.GetRequiredService<FleetDb>().Set<IngestHeadsetStats>().AsNoTracking().SingleAsync(s => s.HeadsetId == "HS-0001");
        (row.Ranges, row.LastSeq, row.Stored).ShouldBe(("1-12", 12L, 11L));
    }

    [Fact]
    public async Task TelemetryEventsKeepAnEmptyTextNotANull()
    {
        await WriteAsync(sql =>
        {
            using var e = new ValidEvent { Id = Guid.NewGuid(), HeadsetId = "HS-0001", Seq = 1, Type = "battery", At = DateTimeOffset.UtcNow, DataBytes = "{}"u8.ToArray() };
            sql.InsertEvent(e, DateTimeOffset.UtcNow, keepData: false).ShouldBeTrue();
        });
        using var c = _app.OpenDatabase();
        Row(c, """SELECT "Data" FROM ingested_events""").ShouldBe([""]);
    }

    private async Task WriteAsync(Action<IIngestWriter> write, params (string HeadsetId, Guid EventId)[] batch)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDb>();
        await using var tx = await scope.ServiceProvider.GetRequiredService<Writes>().BeginAsync(CancellationToken.None);
        using (var sql = IngestWriters.Open(db))
        {
            await sql.PrepareAsync(batch, await db.Headsets.AsNoTracking().ToDictionaryAsync(h => h.Id), CancellationToken.None);
            write(sql);
            await sql.FlushAsync(CancellationToken.None);
        }
        await tx.CommitAsync(CancellationToken.None);
    }

    private static List<string?> Row(System.Data.Common.DbConnection c, string query)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = query;
        using var r = cmd.ExecuteReader();
        r.Read().ShouldBeTrue(query);
        return Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
