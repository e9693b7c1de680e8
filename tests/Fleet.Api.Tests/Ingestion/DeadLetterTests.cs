using System.Text;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing.Mqtt;
using MQTTnet;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>Every rejection reason of the contract ends in a dead letter with its reason, and consumption goes on.</summary>
public sealed class DeadLetterTests : IAsyncLifetime
{
    private BrokerApp _b = null!;
    private IMqttClient _tester = null!;

    public async Task InitializeAsync()
    {
        _b = await BrokerApp.StartAsync();
        // A broker account that may publish on any headset's topic, to send what a real agent's ACL would not allow.
        await _b.Broker.DynamicSecurityAsync("createRole", "tester");
        await _b.Broker.DynamicSecurityAsync("addRoleACL", "tester", "publishClientSend", "fleet/#", "allow");
        await _b.Broker.DynamicSecurityAsync("createClient", "tester", "-p", "tester-pw");
        await _b.Broker.DynamicSecurityAsync("addClientRole", "tester", "tester");
        _tester = await TestMqtt.ConnectAsync(_b.Broker.Host, _b.Broker.Port, "tester", "tester-pw", "tester");
        var biomed = await _b.App.ClientAs("biomed");
        await biomed.Post("/api/v1/headsets/HS-0012/retire", new RetireRequest("Cracked housing."));
    }

    public async Task DisposeAsync()
    {
        _tester.Dispose();
        await _b.DisposeAsync();
    }

    public static TheoryData<string, string, string> BadMessages()
    {
        var now = "2026-11-22T08:00:00.000Z";
        string Env(string headset = "HS-0001", string type = "heartbeat", string at = "2026-11-22T08:00:00.000Z", string data = """{"uptimeS":1,"agentVersion":"1.0"}""", string extra = "") =>
            $$"""{"id":"{{Guid.NewGuid()}}","headset":"{{headset}}","seq":1,"type":"{{type}}","at":"{{at}}","data":{{data}}{{extra}}}""";
        return new()
        {
            { "fleet/v1/headsets/HS-0001/events", "this is not json", "not_json" },
            { "fleet/v1/headsets/HS-0001/events", "{\"headset\":\"HS-0001\",\"seq\":1,\"type\":\"heartbeat\",\"at\":\"" + now + "\",\"data\":{}}", "missing_field" },
            { "fleet/v1/headsets/HS-0001/events", Env(data: """{"percent":140,"charging":false}""", type: "battery"), "invalid_field" },
            { "fleet/v1/headsets/HS-0001/events", Env(data: """{"percent":"81","charging":false}""", type: "battery"), "invalid_field" },
            { "fleet/v1/headsets/HS-0001/events", Env(type: "teleport"), "unknown_type" },
            { "fleet/v1/headsets/HS-0001/events", Env(extra: $",\"pad\":\"{new string('x', 4200)}\""), "payload_too_large" },
            { "fleet/v1/headsets/HS-0001/events", Env(headset: "HS-0002"), "topic_mismatch" },
            { "fleet/v1/headsets/HS-0999/events", Env(headset: "HS-0999"), "unknown_headset" },
            { "fleet/v1/headsets/HS-0012/events", Env(headset: "HS-0012"), "retired_headset" },
            { "fleet/v1/headsets/HS-0001/events", Env(at: "2026-11-19T07:00:00.000Z"), "too_old" },
            { "fleet/v1/headsets/HS-0001/events", Env(at: "2026-11-22T08:10:00.000Z"), "in_future" },
            { "fleet/v1/headsets/HS-0001/events", Env(at: "yesterday"), "invalid_field" },
            { "fleet/v1/headsets/HS-0001/events", Env(type: "cleaning.completed", data: """{"method":"bleach","cycleSeconds":60,"completed":true}"""), "invalid_field" },
            { "fleet/v1/headsets/HS-0001/events", Env(type: "comfort.report", data: """{"sessionId":null}"""), "missing_field" },
            { "fleet/v1/headsets/HS-0001/status", """{"online":"maybe"}""", "missing_field" },
        };
    }

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task ABadMessageIsDeadLetteredWithItsReasonAndTheNextGoodOneIsStillApplied(string topic, string payload, string reason)
    {
        await _tester.PublishAsync(BrokerApp.Message(topic, payload));
        await _b.PublishEventAsync(_tester, "HS-0001", 7, EventTypes.Battery, new { percent = 64, charging = true });

        var stats = await _b.WaitForStatsAsync(s => s.Received == 2, "both messages");
        stats.DeadLettered.ShouldBe(1);
        stats.Stored.ShouldBe(1);
        var letters = await (await _b.App.ClientAs("biomed")).Get<List<DeadLetterView>>("/api/v1/dead-letters");
        var letter = letters.Single();
        letter.Reason.ShouldBe(reason, letter.Detail);
        letter.Topic.ShouldBe(topic);
        letter.Detail.ShouldNotBeNullOrWhiteSpace();
        letter.PayloadBytes.ShouldBe(Encoding.UTF8.GetByteCount(payload));
        Convert.FromBase64String(letter.PayloadBase64).Length.ShouldBe(Math.Min(letter.PayloadBytes, EventEnvelope.MaxPayloadBytes));
        (await _b.App.HeadsetAsync("HS-0001")).Telemetry.BatteryPercent.ShouldBe(64);
    }

    [Fact]
    public async Task DeadLettersAreForBiomedicalEngineersNotNurses()
    {
        await (await (await _b.App.ClientAs("nurse")).GetAsync("/api/v1/dead-letters")).ShouldBeProblem(System.Net.HttpStatusCode.Forbidden, "forbidden");
    }
}
