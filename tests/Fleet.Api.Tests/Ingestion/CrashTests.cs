using System.Globalization;
using System.Net.Http.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using MQTTnet;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Processes;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The API as a real process, killed with SIGKILL in the middle of a stream of events.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KillingTheApiMidStreamLosesNothingAndStoresNothingTwice()
    {
        await using var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false, DynamicSecurityAdmin = (BrokerApp.AdminUser, BrokerApp.AdminPassword), ExtraConfig = BrokerApp.FleetBrokerSettings,
        });
        using var data = new TempDirectory();
        var port = FreePort.Next();
        var baseUrl = $"http://127.0.0.1:{port}";
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = baseUrl, ["Fleet__DataDirectory"] = data.Path,
            ["Fleet__Mqtt__Host"] = broker.Host, ["Fleet__Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Fleet__Mqtt__Password"] = BrokerApp.ApiPassword, ["Fleet__Mqtt__AdminUsername"] = BrokerApp.AdminUser,
            ["Fleet__Mqtt__AdminPassword"] = BrokerApp.AdminPassword, ["Fleet__Mqtt__ClientId"] = "fleet-api-crash-test",
            // Small batches, so the kill lands between many commits and acknowledgements.
            ["Fleet__Mqtt__BatchSize"] = "50",
        };
        foreach (var (k, v) in Support.TestDatabase.ProcessSettings(data.Path)) env[k] = v;
        var api = ChildProcess.StartDotnet("Fleet.Api", RepositoryPaths.Program("Fleet.Api"), env);
        try
        {
            await api.WaitForHttpOkAsync(baseUrl + "/health/ready");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var token = await (await http.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest("biomed", "fleet"))).Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options);
            http.DefaultRequestHeaders.Authorization = new("Bearer", token!.AccessToken);
            string[] headsets = ["HS-0001", "HS-0002", "HS-0003", "HS-0004"];
            var credentials = new Dictionary<string, EnrollmentView>();
            foreach (var h in headsets)
                credentials[h] = (await (await http.PostAsync($"/api/v1/headsets/{h}/enroll", null)).Content.ReadFromJsonAsync<EnrollmentView>(FleetJson.Options))!;

            const int perHeadset = 2500;
            var topics = new Topics();
            async Task PublishAllAsync(string h)
            {
                using var agent = await TestMqtt.ConnectAsync(broker.Host, broker.Port, h, credentials[h].Password, credentials[h].ClientId);
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

            // Kill the API once it has committed some, but not all, of the stream.
            IngestStats? stats = null;
            await Eventually.Async(async () => (stats = await http.GetFromJsonAsync<IngestStats>("/api/v1/ingest/stats", FleetJson.Options))!.Stored > 500,
                "the API to store a first part of the stream", () => api.Log, TimeSpan.FromSeconds(60));
            await api.KillAsync();
            var storedBeforeKill = stats!.Stored;
            storedBeforeKill.ShouldBeLessThan(headsets.Length * perHeadset, "the kill should land mid-stream");
            await publishing;

            api = ChildProcess.StartDotnet("Fleet.Api", RepositoryPaths.Program("Fleet.Api"), env);
            await api.WaitForHttpOkAsync(baseUrl + "/health/ready");
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await (await new HttpClient { BaseAddress = new Uri(baseUrl) }
                .PostAsJsonAsync("/api/v1/auth/token", new TokenRequest("biomed", "fleet"))).Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!.AccessToken);
            await Eventually.Async(async () => (stats = await http.GetFromJsonAsync<IngestStats>("/api/v1/ingest/stats", FleetJson.Options))!.Stored == headsets.Length * perHeadset,
                "every event to be stored after the restart", () => $"stored {stats?.Stored}\n{api.Log}", TimeSpan.FromSeconds(90));

            stats!.DeadLettered.ShouldBe(0);
            stats.Received.ShouldBe(stats.Stored + stats.Duplicates);
            foreach (var h in stats.Headsets)
            {
                h.LastSeq.ShouldBe(perHeadset);
                h.Gaps.ShouldBeEmpty();
                h.Stored.ShouldBe(perHeadset);
            }
            using var db = Support.TestDatabase.OpenForDirectory(data.Path);
            using var cmd = db.CreateCommand();
            cmd.CommandText = """SELECT COUNT(*), COUNT(DISTINCT "HeadsetId" || '/' || "Seq") FROM ingested_events""";
            using var r = cmd.ExecuteReader();
            r.Read();
            r.GetInt64(0).ShouldBe(headsets.Length * perHeadset);
            r.GetInt64(1).ShouldBe(headsets.Length * perHeadset);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
