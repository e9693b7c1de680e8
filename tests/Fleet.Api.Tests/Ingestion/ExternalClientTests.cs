using System.Diagnostics;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>A client Fleet did not write (Debian's mosquitto_pub) speaks the contract, and the API applies it.</summary>
public sealed class ExternalClientTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    private async Task MosquittoPubAsync(EnrollmentView e, string topic, string payload)
    {
        var psi = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-h", _b.Broker.Host, "-p", _b.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-i", e.ClientId, "-u", e.Username, "-P", e.Password, "-q", "1", "-t", topic, "-m", payload },
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("mosquitto_pub did not start; run infra/install.sh test.");
        await p.WaitForExitAsync();
        p.ExitCode.ShouldBe(0, await p.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task ContractMessagesFromMosquittoPubAreAppliedIncludingADuplicateAndMalformedOnes()
    {
        var e = await _b.EnrollAsync("HS-0005");
        await _b.App.CleanAsync("HS-0005");
        var session = await _b.App.AssignAsync("HS-0005");
        var at = _b.App.Time.GetUtcNow();
        var topic = _b.Topics.Events("HS-0005");
        var battery = BrokerApp.Event("HS-0005", 1, EventTypes.Battery, new { percent = 77, charging = false, temperatureC = 30.0, healthPercent = 97, cycleCount = 12 }, at);

        await MosquittoPubAsync(e, _b.Topics.Status("HS-0005"), """{"online":true,"at":"2026-11-22T08:00:00Z"}""");
        await MosquittoPubAsync(e, topic, battery);
        await MosquittoPubAsync(e, topic, battery); // the same event again
        await MosquittoPubAsync(e, topic, "{\"id\":\"not-a-uuid\"");
        await MosquittoPubAsync(e, topic, BrokerApp.Event("HS-0005", 2, EventTypes.Battery, new { percent = 101, charging = false }, at));
        _b.App.Time.Advance(TimeSpan.FromMinutes(15));
        await MosquittoPubAsync(e, topic, BrokerApp.Event("HS-0005", 3, EventTypes.SessionEnded,
            new { sessionId = session.Id, app = "com.vendor.therapy", wearSeconds = 900, fpsAvg = 72.0, droppedFramePercent = 0.4, trackingLostCount = 0 }, at.AddMinutes(15)));

        var stats = await _b.WaitForStatsAsync(s => s.Received == 6, "all six messages");
        stats.Stored.ShouldBe(2);
        stats.Duplicates.ShouldBe(1);
        stats.DeadLettered.ShouldBe(2);
        // Seq 2 arrived and was dead-lettered with its reason: handled, so it is no gap (and its agent gets it confirmed).
        stats.Headsets.Single().Gaps.ShouldBeEmpty();
        stats.Headsets.Single().LastSeq.ShouldBe(3);

        var detail = await _b.App.HeadsetAsync("HS-0005");
        detail.Telemetry.BatteryPercent.ShouldBe(77);
        detail.Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
        detail.Counters.Sessions.ShouldBe(1);
        detail.Counters.WearMinutes.ShouldBe(15);
        var letters = await (await _b.App.ClientAs("biomed")).Get<List<DeadLetterView>>("/api/v1/dead-letters?headsetId=HS-0005");
        letters.Select(l => l.Reason).ShouldBe(["invalid_field", "not_json"]);
    }
}
