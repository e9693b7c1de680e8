using System.Net;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using MQTTnet;
using Npgsql;
using Shouldly;

namespace Fleet.Api.Tests.Cluster;

/// <summary>
/// Two API instances on one PostgreSQL behind one load balancer must look like one: a token from either opens both,
/// a live page on one sees what the other commits, and ingestion survives the sudden death of either.
/// </summary>
public sealed class ActAsOneTests
{
    [Fact]
    public async Task ATokenFromOneInstanceOpensTheOtherAndItsStreamCarriesWhatTheOtherCommitsOnPostgres()
    {
        await using var cluster = await TwoInstances.StartAsync();
        var (a, b) = (cluster.A, cluster.B);

        // Tokens: each instance accepts the other's (the keys that seal them are shared through the database).
        var fromA = await a.TokenAsync("nurse");
        var fromB = await b.TokenAsync("nurse");
        (await b.WithToken(fromA).GetAsync("/api/v1/headsets/HS-0003")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.WithToken(fromB).GetAsync("/api/v1/headsets/HS-0003")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await b.WithToken(fromA + "x").GetAsync("/api/v1/headsets/HS-0003")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The stream: a client on A (with B's token), changes committed on B. Ready means A listens already, and the
        // stream subscribes before it sends ": connected", so nothing committed after that line can be missed.
        using var stream = await EventStreamReader.OpenAsync(a.WithToken(fromB), "/api/v1/stream");
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stream.NextBlockAsync()).ShouldNotBeNull().ShouldContain(": connected");
        var nurseOnB = b.WithToken(fromA);
        await (await nurseOnB.Post("/api/v1/headsets/HS-0003/flags", new RaiseFlagRequest("damage", "Cracked lens."))).ShouldBe(HttpStatusCode.Created);
        await (await nurseOnB.Post("/api/v1/headsets/HS-0004/flags", new RaiseFlagRequest("damage", "Strap torn."))).ShouldBe(HttpStatusCode.Created);

        // In commit order, each once: a second HS-0003 event would arrive before HS-0004's.
        var first = JsonSerializer.Deserialize<HeadsetChanged>(await stream.NextEventAsync("headset"), FleetJson.Options)!;
        first.HeadsetId.ShouldBe("HS-0003");
        first.Summary.OpenFlags.ShouldBe(["damage"]);
        var second = JsonSerializer.Deserialize<HeadsetChanged>(await stream.NextEventAsync("headset"), FleetJson.Options)!;
        second.HeadsetId.ShouldBe("HS-0004");
        second.Summary.OpenFlags.ShouldBe(["damage"]);
    }

    [Fact]
    public async Task KillingOneOfTwoInstancesMidStreamLosesNothingAndStoresNothingTwiceOnPostgres()
    {
        await using var broker = await BrokerApp.StartBrokerAsync();
        // Small batches, so the kill lands between many commits and acknowledgements.
        await using var cluster = await TwoInstances.StartAsync(broker, new Dictionary<string, string> { ["Fleet__Mqtt__BatchSize"] = "50" });
        var biomed = await cluster.B.ClientAs("biomed");
        string[] headsets = ["HS-0001", "HS-0002", "HS-0003", "HS-0004"];
        var credentials = new Dictionary<string, EnrollmentView>();
        foreach (var h in headsets) credentials[h] = await (await biomed.Post($"/api/v1/headsets/{h}/enroll")).Read<EnrollmentView>();

        const int perHeadset = 2500;
        var topics = new Topics();
        async Task PublishAllAsync(string h)
        {
            using var agent = await TestMqtt.ConnectAsync(broker.Host, broker.Port, credentials[h].Username, credentials[h].Password, credentials[h].ClientId);
            var sends = new List<Task>();
            for (var seq = 1; seq <= perHeadset; seq++)
            {
                var payload = seq % 2 == 0
                    ? BrokerApp.Event(h, seq, EventTypes.Battery, new { percent = 50 + seq % 50, charging = false }, DateTimeOffset.UtcNow)
                    : BrokerApp.Event(h, seq, EventTypes.Heartbeat, new { uptimeS = seq, agentVersion = "1.0.0" }, DateTimeOffset.UtcNow);
                sends.Add(agent.PublishCheckedAsync(BrokerApp.Message(topics.Events(h), payload)));
            }
            await Task.WhenAll(sends); // every one acknowledged by the broker: from here on, Fleet owns it
            await agent.DisconnectAsync();
        }
        var publishing = Task.WhenAll(headsets.Select(PublishAllAsync));

        // Kill A once the cluster has committed some, but not all, of the stream; B goes on taking its share.
        IngestStats? stats = null;
        await Eventually.Async(async () => (stats = await biomed.Get<IngestStats>("/api/v1/ingest/stats")).Stored > 500,
            "the cluster to store a first part of the stream", () => cluster.A.Process.Log, TimeSpan.FromSeconds(60));
        await cluster.A.Process.KillAsync();
        stats!.Stored.ShouldBeLessThan(headsets.Length * perHeadset, "the kill should land mid-stream");
        await publishing;

        // What the broker had handed to A and A had not acknowledged waits in A's session; A comes back for it.
        await cluster.RestartAAsync();
        await Eventually.Async(async () => (stats = await biomed.Get<IngestStats>("/api/v1/ingest/stats")).Stored == headsets.Length * perHeadset,
            "every event to be stored after the restart", () => $"stored {stats?.Stored}\n{cluster.A.Process.Log}", TimeSpan.FromSeconds(90));
        stats!.DeadLettered.ShouldBe(0);
        stats.Received.ShouldBe(stats.Stored + stats.Duplicates);
        foreach (var h in stats.Headsets)
        {
            h.LastSeq.ShouldBe(perHeadset);
            h.Gaps.ShouldBeEmpty();
            h.Stored.ShouldBe(perHeadset);
        }

        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT COUNT(*), COUNT(DISTINCT ("HeadsetId", "Seq")) FROM ingested_events""", db);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        r.GetInt64(0).ShouldBe(headsets.Length * perHeadset);
        r.GetInt64(1).ShouldBe(headsets.Length * perHeadset);
    }
}
