using System.Net;
using System.Net.Http.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using Npgsql;
using Shouldly;

namespace Fleet.Api.Tests.Cluster;

/// <summary>
/// Concurrency held by the database, not by a process: two API processes on one PostgreSQL, their in-process write
/// locks no help to each other. What both do at once must come out as if done one after the other.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task TwoInstancesRacingOnOneDatabaseAssignOnceLoseNoUpdateAndKeepTheAuditChainOnPostgres()
    {
        await using var broker = await BrokerApp.StartBrokerAsync();
        await using var cluster = await TwoInstances.StartAsync(broker);
        var (a, b) = (cluster.A, cluster.B);
        var infection = await a.ClientAs("infection");
        await (await infection.Post("/api/v1/products", new ProductRequest("quick-wipe", "Test wipe", Methods.QuaternaryAmmonium, 1, null, true)))
            .ShouldBe(HttpStatusCode.Created);
        var nurses = new[] { await a.ClientAs("nurse"), await b.ClientAs("nurse") };
        var registered = (await nurses[0].Get<HeadsetDetail>("/api/v1/headsets/HS-0001")).RegisteredAt;
        while (DateTimeOffset.UtcNow < registered.AddSeconds(12)) await Task.Delay(200);

        // Cleanings: every headset gets one from each instance at the same moment (different times, both valid).
        var ids = Enumerable.Range(1, 12).Select(i => $"HS-{i:0000}").ToList();
        var cleanings = await Task.WhenAll(ids.SelectMany(id => new[] { 0, 1 }.Select(n => nurses[n].Post($"/api/v1/headsets/{id}/cleanings/log",
            new LogCleaningRequest("quick-wipe", registered.AddSeconds(1 + 5 * n), registered.AddSeconds(3 + 5 * n), false, null, null)))));
        foreach (var r in cleanings) await r.ShouldBe(HttpStatusCode.Created);

        // Flags: both instances raise on the same headsets at once.
        var flags = await Task.WhenAll(ids.Skip(6).SelectMany(id => new[] { 0, 1 }.Select(n =>
            nurses[n].Post($"/api/v1/headsets/{id}/flags", new RaiseFlagRequest("damage", $"Cracked lens, seen from instance {n}.")))));
        foreach (var r in flags) await r.ShouldBe(HttpStatusCode.Created);

        // 24 racing assignments of one clean headset, half through each instance: exactly one wins.
        var schedulers = new[] { await a.ClientAs("scheduler"), await b.ClientAs("scheduler") };
        var assignments = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            schedulers[i % 2].Post("/api/v1/sessions", new AssignRequest("HS-0001", $"MRN-{i}", "paediatrics", 30, null))));
        assignments.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var r in assignments.Where(r => r.StatusCode != HttpStatusCode.Created)) await r.ShouldBeProblem(HttpStatusCode.Conflict, "in_use");

        // Telemetry through the shared subscription: both instances store part of one headset's stream.
        var biomed = await a.ClientAs("biomed");
        var enrollment = await (await biomed.Post("/api/v1/headsets/HS-0005/enroll")).Read<EnrollmentView>();
        const int events = 400;
        using (var agent = await TestMqtt.ConnectAsync(broker.Host, broker.Port, enrollment.Username, enrollment.Password, enrollment.ClientId))
        {
            var topics = new Topics();
            var start = DateTimeOffset.UtcNow.AddMinutes(-10);
            await Task.WhenAll(Enumerable.Range(1, events).Select(seq => agent.PublishCheckedAsync(BrokerApp.Message(topics.Events("HS-0005"),
                BrokerApp.Event("HS-0005", seq, EventTypes.Battery, new { percent = seq % 100, charging = false, cycleCount = seq }, start.AddSeconds(seq))))));
        }
        IngestStats? stats = null;
        await Eventually.Async(async () => (stats = await biomed.Get<IngestStats>("/api/v1/ingest/stats")).Stored == events,
            "every event to be stored once", () => $"stored {stats?.Stored}", TimeSpan.FromSeconds(60));

        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        foreach (var id in ids)
            (await Scalar<int>(db, $"""SELECT "Counters_Cleanings" FROM headsets WHERE "Id" = '{id}'""")).ShouldBe(2, id);
        (await Scalar<long>(db, """SELECT COUNT(*) FROM flags WHERE "ClearedAt" IS NULL""")).ShouldBe(12);
        (await Scalar<long>(db, """SELECT COUNT(*) FROM sessions WHERE "HeadsetId" = 'HS-0001'""")).ShouldBe(1);
        (await Scalar<long>(db, """SELECT COUNT(*) FROM ingested_events WHERE "HeadsetId" = 'HS-0005'""")).ShouldBe(events);
        (await Scalar<int>(db, """SELECT "Counters_BatteryCycles" FROM headsets WHERE "Id" = 'HS-0005'""")).ShouldBe(events);
        (await Scalar<int>(db, """SELECT "Telemetry_BatteryCycleCount" FROM headsets WHERE "Id" = 'HS-0005'""")).ShouldBe(events); // the newest reading won
        stats!.Duplicates.ShouldBe(0);
        stats.DeadLettered.ShouldBe(0);

        var verify = await (await b.ClientAs("infection")).Get<AuditVerification>("/api/v1/audit/verify");
        verify.Intact.ShouldBeTrue(verify.Problem);
        verify.EntriesChecked.ShouldBeGreaterThan(24 + 12 + 1);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection db, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
