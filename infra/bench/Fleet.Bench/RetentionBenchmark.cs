using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Contracts.Mqtt;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Bench;

/// <param name="JobIntervalSeconds">Fleet:Jobs:IntervalSeconds for the run (60 in service): how often the retention job looks.</param>
public sealed record RetentionSettings(string Database, int Headsets, int Days, int JobIntervalSeconds);

/// <summary>
/// What raw telemetry leaves behind once the 14-day retention has folded it: readings older than that are written
/// straight into the database of a running API (events that old are refused over MQTT), at the agent's default rates,
/// and the API's own TelemetryRetentionJob folds them into telemetry_hourly. Sizes come from the database's own
/// accounting (SQLite's dbstat through the sqlite3 shell, PostgreSQL's pg_total_relation_size), and are reported only
/// after the folded rows have been checked against the readings.
/// </summary>
public sealed partial class RetentionBenchmark(RetentionSettings s, TextWriter report)
{
    // TelemetryRetentionJob.RawRetention and TelemetrySample's kinds (the bench does not reference the API's assembly).
    private static readonly TimeSpan RawRetention = TimeSpan.FromDays(14);
    private const string BatteryKind = "battery", DeviceKind = "device";

    // The agent's defaults (Fleet.Agent.Core/AgentOptions.cs).
    private static readonly TimeSpan BatteryInterval = TimeSpan.FromSeconds(60), HeartbeatInterval = TimeSpan.FromSeconds(60),
        DeviceInfoInterval = TimeSpan.FromHours(6);

    private static readonly string[] Tables = ["telemetry_hourly", "telemetry_samples", "ingested_events"];

    public async Task<int> RunAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Fleet__Jobs__IntervalSeconds"] = s.JobIntervalSeconds.ToString(CultureInfo.InvariantCulture),
            // The job logs how many readings each of its runs folded.
            ["Logging__LogLevel__Fleet.Api.Operations.Jobs.TelemetryRetentionJob"] = "Information",
        };
        await using var stack = await BenchStack.StartAsync(settings, s.Database);
        var headsets = (await stack.EnrollAsync(s.Headsets)).Select(p => p.HeadsetId).ToList();
        await using var db = stack.Database.Open(stack.DataDirectory);

        // Whole hours, so every hour of the window is complete; the newest reading is 15 days old, a day past the cutoff.
        var end = Hour(DateTimeOffset.UtcNow - RawRetention - TimeSpan.FromDays(1));
        var start = end.AddDays(-s.Days);

        report.WriteLine($"# Retention benchmark: raw telemetry folded into hourly rows, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.WriteLine();
        report.WriteLine($"Hardware: {ProcessStats.Hardware()}. The API, Mosquitto and the database share this machine.");
        report.WriteLine($"Database: {stack.Database.Name}, durable ({(db is NpgsqlConnection ? "fsync and synchronous_commit on" : "WAL, synchronous=FULL")}).");
        report.WriteLine($"Readings: {s.Headsets} headsets x {s.Days} days, {start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC, at the agent's default rates: battery every");
        report.WriteLine("60 s, heartbeat every 60 s (an event key, no reading), device info every 6 h, each timer starting at its own moment.");
        report.WriteLine("Events that old are refused over MQTT (72 h), so they are written straight into the running API's database");
        report.WriteLine($"(`telemetry_samples` and their keys in `ingested_events`, in EF's column formats); the API's own TelemetryRetentionJob");
        report.WriteLine($"folds them, with its jobs every {s.JobIntervalSeconds} s (60 in service) and its own limits (batches of 2,000 readings, at most 50 per run).");
        report.WriteLine();

        // Our commit must not checkpoint the seeded pages on its way out: the API's jobs are free to write meanwhile.
        if (db is SqliteConnection) await ScalarAsync(db, "PRAGMA wal_autocheckpoint=0");
        var seeding = Stopwatch.StartNew();
        var seeded = new Seeded();
        Sizes before;
        await using (var tx = await db.BeginTransactionAsync())
        {
            for (var i = 0; i < headsets.Count; i++)
            {
                var readings = Readings(i, start, end).ToList();
                seeded.Add(headsets[i], readings);
                if (db is NpgsqlConnection pg) await CopyAsync(pg, headsets[i], readings);
                else Insert((SqliteConnection)db, (SqliteTransaction)tx, headsets[i], readings);
            }
            seeding.Stop();
            // Measured before the job can fold anything: on PostgreSQL the pages are on disk before the commit; on
            // SQLite the shell sees only committed rows, so the API's writers are held off meanwhile by our own write
            // transaction, begun right after the commit (should the job slip in between, the check below says so).
            if (db is NpgsqlConnection)
            {
                before = await MeasureAsync(db);
                await tx.CommitAsync();
            }
            else
            {
                await tx.CommitAsync();
                await using var hold = await db.BeginTransactionAsync();
                before = await MeasureAsync(db);
            }
        }
        if (before.Rows["telemetry_hourly"] != 0 || before.Rows["telemetry_samples"] != seeded.Readings.Values.Sum())
            return Fail($"the job touched the readings before they were measured ({before.Rows["telemetry_hourly"]} hourly rows already); nothing reported.");

        var folding = Stopwatch.StartNew();
        var (apiCpu, serverCpu) = (ProcessStats.CpuSeconds(stack.Api.Id), stack.Database.ServerCpuSeconds());
        var logLines = stack.Api.Lines.Count;
        var timeout = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(seeded.Readings.Values.Sum() / 1000.0);
        while (await OldTelemetryLeftAsync(db))
        {
            if (folding.Elapsed > timeout)
            {
                report.WriteLine($"**FAILED**: readings older than 14 days are still in telemetry_samples after {folding.Elapsed.TotalSeconds:N0} s. Last lines of the API's log:");
                report.WriteLine("```");
                foreach (var line in stack.Api.Lines.TakeLast(40)) report.WriteLine(line);
                report.WriteLine("```");
                return 1;
            }
            await Task.Delay(500);
        }
        folding.Stop();
        apiCpu = ProcessStats.CpuSeconds(stack.Api.Id) - apiCpu;
        serverCpu = stack.Database.ServerCpuSeconds() - serverCpu;
        var apiLog = stack.Api.Lines.Skip(logLines).ToList();

        var after = await MeasureAsync(db);
        var hourly = new Dictionary<string, (long Rows, long Samples)>();
        foreach (var kind in (string[])[BatteryKind, DeviceKind])
            hourly[kind] = (Long(await ScalarAsync(db, """SELECT COUNT(*) FROM telemetry_hourly WHERE "Kind" = @kind""", ("kind", kind))),
                Long(await ScalarAsync(db, """SELECT COALESCE(SUM("Samples"), 0) FROM telemetry_hourly WHERE "Kind" = @kind""", ("kind", kind))));
        var wrong = await CheckAsync(db, hourly, headsets, seeded, start);
        if (wrong is not null) return Fail(wrong);
        var compacted = db is NpgsqlConnection ? await CompactAsync(db) : null;

        var readingsTotal = seeded.Readings.Values.Sum();
        var keysTotal = seeded.Events.Values.Sum();
        report.WriteLine("## Seeded");
        report.WriteLine($"- {readingsTotal:N0} readings (battery {seeded.Readings[BatteryKind]:N0}, device {seeded.Readings[DeviceKind]:N0}) and {keysTotal:N0} event keys ({string.Join(", ", seeded.Events.Select(e => $"{e.Key} {e.Value:N0}"))}), written in one transaction in {seeding.Elapsed.TotalSeconds:N1} s (the commit not counted)");
        report.WriteLine($"- `telemetry_samples` {Size(before, "telemetry_samples")}, **{before.Bytes["telemetry_samples"] / (double)readingsTotal:N1} bytes per reading**; `ingested_events` {Size(before, "ingested_events")}, **{before.Bytes["ingested_events"] / (double)keysTotal:N1} bytes per key** (keys included)");
        report.WriteLine();

        report.WriteLine("## Folding by the API's retention job");
        var runs = apiLog.Select(l => FoldedLine().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        report.WriteLine($"- every reading older than 14 days folded **{folding.Elapsed.TotalSeconds:N1} s** after the commit (polled every 0.5 s; the time includes the waits between job runs): **{readingsTotal / folding.Elapsed.TotalSeconds:N0} readings/s** and {keysTotal / folding.Elapsed.TotalSeconds:N0} event keys deleted/s");
        report.WriteLine($"- the job logged {runs.Count} runs that folded something, for {seeded.Hours.Select(h => (h.HeadsetId, h.Kind)).Distinct().Count()} series (a headset's battery or device readings); readings per run: {string.Join(", ", runs.Take(12).Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}{(runs.Count > 12 ? ", ..." : "")}");
        report.WriteLine($"- CPU meanwhile: API {apiCpu:N1} s ({apiCpu / folding.Elapsed.TotalSeconds:N2} cores, {apiCpu * 1e6 / readingsTotal:N0} µs per reading folded)" +
            (db is NpgsqlConnection ? $", PostgreSQL server {serverCpu:N1} s ({serverCpu / folding.Elapsed.TotalSeconds:N2} cores, {serverCpu * 1e6 / readingsTotal:N0} µs per reading)" : ""));
        var complaints = apiLog.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("warn:", StringComparison.Ordinal)).ToList();
        report.WriteLine($"- warnings and errors in the API's log meanwhile: {(complaints.Count == 0 ? "none" : string.Join("; ", complaints.Take(5)))}");
        report.WriteLine();

        var rows = after.Rows["telemetry_hourly"];
        var hourlyBytes = after.Bytes["telemetry_hourly"];
        var perRow = hourlyBytes / (double)rows;
        var headsetHours = (double)s.Headsets * s.Days * 24;
        var battery = hourly[BatteryKind].Rows / headsetHours;
        var device = hourly[DeviceKind].Rows / headsetHours;
        report.WriteLine("## Hourly rows (checked: every hour of every series present, samples summed = readings, one headset's hour recomputed)");
        report.WriteLine($"- **{rows:N0} rows**: battery {hourly[BatteryKind].Rows:N0} ({battery * 24:N2} per headset per day), device {hourly[DeviceKind].Rows:N0} ({device * 24:N2} per headset per day: device info every 6 h puts one reading in 4 of the day's 24 hours, and no row in the other 20)");
        report.WriteLine($"- `telemetry_hourly` with its key {Size(after, "telemetry_hourly")}: **{perRow:N1} bytes per hourly row** as the job left it" +
            (compacted is null ? "" : $"; after VACUUM FULL {Size(compacted, "telemetry_hourly")}, {compacted.Bytes["telemetry_hourly"] / (double)rows:N1} bytes per row"));
        // PostgreSQL keeps a deleted row's space until VACUUM (autovacuum in service), so what was freed is read after it.
        var left = compacted ?? after;
        report.WriteLine($"- freed: `telemetry_samples` **{before.Bytes["telemetry_samples"] - left.Bytes["telemetry_samples"]:N0} bytes**, now {Size(left, "telemetry_samples")}; `ingested_events` **{before.Bytes["ingested_events"] - left.Bytes["ingested_events"]:N0} bytes**, now {Size(left, "ingested_events")}; rows left {after.Rows["telemetry_samples"]:N0} and {after.Rows["ingested_events"]:N0}" +
            (compacted is not null
                ? $". Read after VACUUM: as the job left them the tables kept their size ({after.Bytes["telemetry_samples"]:N0} and {after.Bytes["ingested_events"]:N0} bytes); VACUUM truncates the emptied tables, the key indexes keep their pages for later keys"
                : $". The pages go on SQLite's free list for later rows (free list now {after.FreeBytes:N0} bytes; the file does not shrink)"));
        report.WriteLine($"- database file(s): {before.FileBytes:N0} bytes after seeding, {after.FileBytes:N0} after folding");
        report.WriteLine();

        var perYear = 8760 * (battery + device) * perRow;
        report.WriteLine("## Per headset per year");
        report.WriteLine($"8,760 hours x ({battery:N3} battery + {device:N3} device rows per hour, as counted) x {perRow:N1} bytes = **{perYear / 1e6:N2} MB per headset per year** of hourly rows (the README's computed figure: ~1 MB).");
        if (compacted is not null)
            report.WriteLine($"With the table rewritten (VACUUM FULL: no dead row versions, no maps, which are a fixed size per table, not per row): {compacted.Bytes["telemetry_hourly"] / (double)rows:N1} bytes per row, {8760 * (battery + device) * compacted.Bytes["telemetry_hourly"] / rows / 1e6:N2} MB per headset per year.");
        report.WriteLine();
        report.WriteLine("## Notes");
        report.WriteLine("- A run walks every series once in key order, a batch (one transaction) taking as many series as fit in 2,000 readings, at most");
        report.WriteLine("  50 batches a run. (Before 6 Dec 23:54 a run stopped at its first short batch, i.e. after one series: see the reports before then.)");
        report.WriteLine($"- Here each series is folded in bulk ({s.Days} days at once, 2,000 readings a batch), so an hour's row is written once, or twice where a");
        report.WriteLine("  batch ends inside it. In service a run folds what expired since the last, so an hour's row can be rewritten many times: in place on");
        report.WriteLine("  SQLite; on PostgreSQL each update leaves a dead row version until vacuum, which the size measured here does not show.");
        return 0;
    }

    private int Fail(string why)
    {
        report.WriteLine($"**FAILED: {why}**");
        return 1;
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    private static string Size(Sizes sizes, string table) => $"{sizes.Bytes[table]:N0} bytes ({sizes.Detail[table]})";

    [GeneratedRegex(@"Folded (\d+) raw telemetry readings")]
    private static partial Regex FoldedLine();

    /// <summary>One event of a headset's agent: a heartbeat (a key only), a battery or a device-info reading.</summary>
    private sealed record Reading(string Type, DateTimeOffset At, Guid Id, long Seq)
    {
        public string? Kind => Type switch { EventTypes.Battery => BatteryKind, EventTypes.DeviceInfo => DeviceKind, _ => null };
        public int? Percent { get; init; }
        public bool? Charging { get; init; }
        public double? TemperatureC { get; init; }
        public int? Health { get; init; }
        public int? Cycles { get; init; }
        public long? StorageFreeMb { get; init; }
        public int? WifiRssi { get; init; }
    }

    /// <summary>
    /// A headset's events from start to end in time order, as its agent sends them. The battery drains in sessions of
    /// 15-45 min (a pico-4e's 150 min runtime), charges on the dock at the simulator's 1.25 %/min and rests between.
    /// Seeded by the headset's index, so the check can produce the same readings again.
    /// </summary>
    private static IEnumerable<Reading> Readings(int index, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(index + 1);
        var battery = start + TimeSpan.FromMilliseconds(random.Next(60_000));
        var heartbeat = start + TimeSpan.FromMilliseconds(random.Next(60_000));
        var device = start + TimeSpan.FromMilliseconds(random.Next((int)DeviceInfoInterval.TotalMilliseconds));
        double percent = 50 + random.Next(50), cycles = random.Next(20, 300);
        var health = 92 + random.Next(8);
        long storage = 40_000 + random.Next(20_000);
        var (inUse, minutesLeft, seq) = (false, random.Next(10, 120), 0L);
        while (true)
        {
            var at = new[] { battery, heartbeat, device }.Min();
            if (at >= end) yield break;
            seq++;
            if (at == battery)
            {
                if (--minutesLeft <= 0 || (inUse && percent < 15))
                    (inUse, minutesLeft) = (!inUse, inUse ? random.Next(20, 180) : random.Next(15, 46));
                var charging = !inUse && percent < 100;
                if (inUse) percent = Math.Max(0, percent - 100.0 / 150);
                else if (charging)
                {
                    var gain = Math.Min(1.25, 100 - percent);
                    percent += gain;
                    cycles += gain / 100;
                }
                var temperature = Math.Round(26.5 + (inUse ? 7 : 0) + (charging ? 3 : 0) + random.NextDouble() * 1.5, 1);
                yield return new Reading(EventTypes.Battery, at, Guid.CreateVersion7(at), seq)
                { Percent = (int)Math.Round(percent), Charging = charging, TemperatureC = temperature, Health = health, Cycles = (int)cycles };
                battery += BatteryInterval;
            }
            else if (at == heartbeat)
            {
                yield return new Reading(EventTypes.Heartbeat, at, Guid.CreateVersion7(at), seq);
                heartbeat += HeartbeatInterval;
            }
            else
            {
                storage = Math.Max(1_000, storage + random.Next(-600, 500));
                yield return new Reading(EventTypes.DeviceInfo, at, Guid.CreateVersion7(at), seq) { StorageFreeMb = storage, WifiRssi = -45 - random.Next(30) };
                device += DeviceInfoInterval;
            }
        }
    }

    /// <summary>What was written, to check the folded rows against.</summary>
    private sealed class Seeded
    {
        public Dictionary<string, long> Events { get; } = [];
        public Dictionary<string, long> Readings { get; } = new() { [BatteryKind] = 0, [DeviceKind] = 0 };
        public HashSet<(string HeadsetId, string Kind, DateTimeOffset Hour)> Hours { get; } = [];

        public long HourRows(string kind) => Hours.Count(h => h.Kind == kind);

        public void Add(string headsetId, IEnumerable<Reading> readings)
        {
            foreach (var r in readings)
            {
                Events[r.Type] = Events.GetValueOrDefault(r.Type) + 1;
                if (r.Kind is not { } kind) continue;
                Readings[kind]++;
                Hours.Add((headsetId, kind, Hour(r.At)));
            }
        }
    }

    /// <summary>SQLite: prepared inserts in the caller's transaction, values as EF writes them (GUIDs upper case, times as text).</summary>
    private static void Insert(SqliteConnection db, SqliteTransaction tx, string headsetId, List<Reading> readings)
    {
        using var events = Prepare(db, tx, """
            INSERT INTO ingested_events ("HeadsetId", "EventId", "Seq", "Type", "At", "StoredAt", "Data") VALUES ($h, $id, $seq, $type, $at, $stored, '')
            """, "$h", "$id", "$seq", "$type", "$at", "$stored");
        using var samples = Prepare(db, tx, """
            INSERT INTO telemetry_samples ("HeadsetId", "Kind", "At", "EventId", "BatteryPercent", "Charging", "TemperatureC", "HealthPercent", "CycleCount", "StorageFreeMb", "WifiRssi")
            VALUES ($h, $kind, $at, $id, $percent, $charging, $temperature, $health, $cycles, $storage, $wifi)
            """, "$h", "$kind", "$at", "$id", "$percent", "$charging", "$temperature", "$health", "$cycles", "$storage", "$wifi");
        foreach (var r in readings)
        {
            var (id, at) = (r.Id.ToString("D").ToUpperInvariant(), BenchDatabase.SqliteTime(r.At));
            Run(events, headsetId, id, r.Seq, r.Type, at, BenchDatabase.SqliteTime(StoredAt(r.At)));
            if (r.Kind is { } kind)
                Run(samples, headsetId, kind, at, id, r.Percent, r.Charging is { } c ? c ? 1 : 0 : null, r.TemperatureC, r.Health, r.Cycles, r.StorageFreeMb, r.WifiRssi);
        }
    }

    private static SqliteCommand Prepare(SqliteConnection db, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = new SqliteCommand(sql, db, tx);
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    /// <summary>The moment the API would have stored the event: shortly after it was sent.</summary>
    private static DateTimeOffset StoredAt(DateTimeOffset at) => at.AddMilliseconds(40);

    /// <summary>PostgreSQL: binary COPY, the API's own ingest path (PostgresIngestWriter), in the caller's transaction.</summary>
    private static async Task CopyAsync(NpgsqlConnection db, string headsetId, List<Reading> readings)
    {
        await using (var events = await db.BeginBinaryImportAsync(
            """COPY ingested_events ("HeadsetId", "EventId", "Seq", "Type", "At", "StoredAt", "Data") FROM STDIN (FORMAT BINARY)"""))
        {
            foreach (var r in readings)
            {
                await events.StartRowAsync();
                await events.WriteAsync(headsetId, NpgsqlDbType.Varchar);
                await events.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await events.WriteAsync(r.Seq, NpgsqlDbType.Bigint);
                await events.WriteAsync(r.Type, NpgsqlDbType.Varchar);
                await events.WriteAsync(r.At, NpgsqlDbType.TimestampTz);
                await events.WriteAsync(StoredAt(r.At), NpgsqlDbType.TimestampTz);
                await events.WriteAsync("", NpgsqlDbType.Text);
            }
            await events.CompleteAsync();
        }
        await using var samples = await db.BeginBinaryImportAsync("""
            COPY telemetry_samples ("EventId", "HeadsetId", "Kind", "At", "BatteryPercent", "Charging", "TemperatureC",
                "HealthPercent", "CycleCount", "StorageFreeMb", "WifiRssi") FROM STDIN (FORMAT BINARY)
            """);
        foreach (var r in readings)
        {
            if (r.Kind is not { } kind) continue;
            await samples.StartRowAsync();
            await samples.WriteAsync(r.Id, NpgsqlDbType.Uuid);
            await samples.WriteAsync(headsetId, NpgsqlDbType.Varchar);
            await samples.WriteAsync(kind, NpgsqlDbType.Varchar);
            await samples.WriteAsync(r.At, NpgsqlDbType.TimestampTz);
            await Nullable(samples, r.Percent, NpgsqlDbType.Integer);
            await Nullable(samples, r.Charging, NpgsqlDbType.Boolean);
            await Nullable(samples, r.TemperatureC, NpgsqlDbType.Double);
            await Nullable(samples, r.Health, NpgsqlDbType.Integer);
            await Nullable(samples, r.Cycles, NpgsqlDbType.Integer);
            await Nullable(samples, r.StorageFreeMb, NpgsqlDbType.Bigint);
            await Nullable(samples, r.WifiRssi, NpgsqlDbType.Integer);
        }
        await samples.CompleteAsync();
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type) : copy.WriteNullAsync();

    /// <summary>A time as a query parameter in the column's format.</summary>
    private static object Param(DbConnection db, DateTimeOffset at) => db is NpgsqlConnection ? at.ToUniversalTime() : BenchDatabase.SqliteTime(at);

    private static async Task<bool> OldTelemetryLeftAsync(DbConnection db)
    {
        var cutoff = Param(db, DateTimeOffset.UtcNow - RawRetention);
        var telemetry = string.Join(", ", EventTypes.Telemetry.Select(t => $"'{t}'"));
        var left = await ScalarAsync(db, $"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM telemetry_samples WHERE "At" < @cutoff)
                OR EXISTS (SELECT 1 FROM ingested_events WHERE "Type" IN ({telemetry}) AND "At" < @cutoff) THEN 1 ELSE 0 END
            """, ("cutoff", cutoff));
        return Convert.ToInt32(left, CultureInfo.InvariantCulture) == 1;
    }

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            (p.ParameterName, p.Value) = ("@" + name, value);
            command.Parameters.Add(p);
        }
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// The folded rows against the readings: one row per series and hour, samples summed to the readings, and one
    /// headset's battery hour and device hour recomputed from its readings field by field. Null when all is right.
    /// </summary>
    private static async Task<string?> CheckAsync(DbConnection db, Dictionary<string, (long Rows, long Samples)> hourly, List<string> headsets, Seeded seeded, DateTimeOffset start)
    {
        foreach (var (kind, (count, samples)) in hourly)
        {
            if (count != seeded.HourRows(kind) || samples != seeded.Readings[kind])
                return $"{kind}: {count:N0} hourly rows holding {samples:N0} samples, expected {seeded.HourRows(kind):N0} rows holding {seeded.Readings[kind]:N0}";
        }

        var index = headsets.Count / 2;
        var readings = Readings(index, start, DateTimeOffset.MaxValue).TakeWhile(r => r.At < start.AddDays(1)).ToList();
        var hour = start.AddHours(12);
        var battery = readings.Where(r => r.Kind == BatteryKind && Hour(r.At) == hour).ToList();
        var device = readings.First(r => r.Kind == DeviceKind);
        if (battery.Count != 60) return $"the generator put {battery.Count} battery readings in an hour, not 60";
        object?[] expectBattery = [60L, battery.Average(r => r.Percent!.Value), (long)battery.Min(r => r.Percent!.Value), battery.Average(r => r.TemperatureC!.Value),
            battery.Max(r => r.TemperatureC!.Value), (long)battery.Min(r => r.Health!.Value), (long)battery.Max(r => r.Cycles!.Value)];
        var gotBattery = await RowAsync(db, """
            SELECT "Samples", "BatteryPercentAvg", "BatteryPercentMin", "TemperatureAvgC", "TemperatureMaxC", "HealthPercentMin", "CycleCountMax"
            FROM telemetry_hourly WHERE "HeadsetId" = @h AND "Kind" = @kind AND "HourStart" = @hour
            """, headsets[index], BatteryKind, Param(db, hour));
        if (!Same(gotBattery, expectBattery))
            return $"{headsets[index]}'s battery hour {hour:yyyy-MM-dd HH:mm}: [{string.Join(", ", gotBattery ?? [])}], expected [{string.Join(", ", expectBattery)}]";
        object?[] expectDevice = [1L, device.StorageFreeMb, (double)device.WifiRssi!.Value];
        var gotDevice = await RowAsync(db, """
            SELECT "Samples", "StorageFreeMinMb", "WifiRssiAvg" FROM telemetry_hourly WHERE "HeadsetId" = @h AND "Kind" = @kind AND "HourStart" = @hour
            """, headsets[index], DeviceKind, Param(db, Hour(device.At)));
        if (!Same(gotDevice, expectDevice))
            return $"{headsets[index]}'s device hour {Hour(device.At):yyyy-MM-dd HH:mm}: [{string.Join(", ", gotDevice ?? [])}], expected [{string.Join(", ", expectDevice)}]";
        return null;
    }

    private static async Task<object?[]?> RowAsync(DbConnection db, string sql, string headsetId, string kind, object hour)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in new[] { ("@h", (object)headsetId), ("@kind", kind), ("@hour", hour) })
        {
            var p = command.CreateParameter();
            (p.ParameterName, p.Value) = (name, value);
            command.Parameters.Add(p);
        }
        await using var r = await command.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i)).ToArray();
    }

    /// <summary>Numbers compared as numbers (the providers return int, long or double); averages to a rounding error.</summary>
    private static bool Same(object?[]? got, object?[] expected) =>
        got is not null && got.Length == expected.Length && got.Zip(expected).All(p =>
            p.First is not null && p.Second is not null &&
            Math.Abs(Convert.ToDouble(p.First, CultureInfo.InvariantCulture) - Convert.ToDouble(p.Second, CultureInfo.InvariantCulture)) < 1e-9);

    /// <summary>Rows and bytes (with indexes) of the three tables, and the database's size, from one snapshot.</summary>
    private sealed record Sizes(Dictionary<string, long> Rows, Dictionary<string, long> Bytes, Dictionary<string, string> Detail, long FileBytes, long FreeBytes);

    private static async Task<Sizes> MeasureAsync(DbConnection db) => db switch
    {
        SqliteConnection sqlite => await MeasureSqliteAsync(sqlite.DataSource),
        _ => await MeasurePostgresAsync((NpgsqlConnection)db),
    };

    /// <summary>
    /// dbstat counts each B-tree's pages (Microsoft.Data.Sqlite's bundled SQLite is built without it, Debian's sqlite3
    /// shell with it). Read-only, in one read transaction, so counts and pages are the same moment.
    /// </summary>
    private static async Task<Sizes> MeasureSqliteAsync(string file)
    {
        var names = string.Join(", ", Tables.Select(t => $"'{t}'"));
        var sql = string.Join("\n", [
            "BEGIN;",
            .. Tables.Select(t => $"SELECT 'rows', '{t}', COUNT(*), 0, 0 FROM {t};"),
            $"SELECT s.type, s.tbl_name, SUM(d.pgsize), SUM(d.unused), COUNT(*), s.name FROM dbstat d JOIN sqlite_schema s ON s.name = d.name WHERE s.tbl_name IN ({names}) GROUP BY s.name ORDER BY s.type DESC;",
            "SELECT 'file', '', (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()), (SELECT freelist_count FROM pragma_freelist_count()) * (SELECT page_size FROM pragma_page_size()), 0;",
            "COMMIT;"]);
        var psi = new ProcessStartInfo("sqlite3", ["-readonly", "-batch", "-noheader", "-separator", "|", file]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var shell = Process.Start(psi)!;
        await shell.StandardInput.WriteAsync(sql);
        shell.StandardInput.Close();
        var output = await shell.StandardOutput.ReadToEndAsync();
        var error = await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync();
        if (shell.ExitCode != 0 || error.Length > 0) throw new InvalidOperationException($"sqlite3 could not measure {file} (is it built with dbstat?): {error}");
        var (rows, bytes, detail) = (new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, string>());
        var (pages, unused) = (new Dictionary<string, long>(), new Dictionary<string, long>());
        long fileBytes = 0, freeBytes = 0;
        foreach (var f in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')))
        {
            var (a, b, c) = (long.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture));
            switch (f[0])
            {
                case "rows": rows[f[1]] = a; break;
                // A table's B-tree, and an index's (a rowid table's key is an index of its own).
                case "table" or "index":
                    bytes[f[1]] = bytes.GetValueOrDefault(f[1]) + a;
                    (pages[f[1]], unused[f[1]]) = (pages.GetValueOrDefault(f[1]) + c, unused.GetValueOrDefault(f[1]) + b);
                    var part = $"{(f[0] == "table" ? "table" : f[5].StartsWith("sqlite_autoindex_", StringComparison.Ordinal) ? "key index" : "index " + f[5])} {a:N0}";
                    detail[f[1]] = detail.TryGetValue(f[1], out var earlier) ? $"{earlier} + {part}" : part;
                    break;
                default: (fileBytes, freeBytes) = (a, b); break;
            }
        }
        foreach (var t in Tables) detail[t] = $"dbstat: {detail[t]}; {pages[t]:N0} pages, {unused[t]:N0} bytes unused in them";
        return new Sizes(rows, bytes, detail, fileBytes, freeBytes);
    }

    private static async Task<Sizes> MeasurePostgresAsync(NpgsqlConnection db)
    {
        var (rows, bytes, detail) = (new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, string>());
        foreach (var t in Tables)
        {
            await using var command = new NpgsqlCommand($"""
                SELECT (SELECT COUNT(*) FROM {t}), pg_total_relation_size('{t}'), pg_relation_size('{t}'), pg_indexes_size('{t}')
                """, db);
            await using var r = await command.ExecuteReaderAsync();
            await r.ReadAsync();
            var (total, heap, indexes) = (r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
            (rows[t], bytes[t], detail[t]) = (r.GetInt64(0), total, $"pg_total_relation_size: table {heap:N0} + key index {indexes:N0} + free space and visibility maps {total - heap - indexes:N0}");
        }
        var file = Long(await ScalarAsync(db, "SELECT pg_database_size(current_database())"));
        return new Sizes(rows, bytes, detail, file, 0);
    }

    /// <summary>
    /// PostgreSQL keeps deleted and updated rows' space until VACUUM (autovacuum, in service): the deleted tables
    /// vacuumed show what was freed; the hourly table rewritten (VACUUM FULL) is its size with no dead row in it.
    /// </summary>
    private static async Task<Sizes> CompactAsync(DbConnection db)
    {
        await ScalarAsync(db, "VACUUM telemetry_samples, ingested_events");
        await ScalarAsync(db, "VACUUM FULL telemetry_hourly");
        return await MeasureAsync(db);
    }
}
