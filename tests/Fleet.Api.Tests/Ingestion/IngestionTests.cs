using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>Events from agents, through the real broker, applied by the same rules as the REST API.</summary>
public sealed class IngestionTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task ABatteryEventUpdatesTheLatestTelemetryAndTheTimeSeries()
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery,
            new { percent = 81, charging = false, temperatureC = 31.5, healthPercent = 96, cycleCount = 143 });

        await _b.WaitForStatsAsync(s => s.Stored == 1, "the battery event to be stored");
        var detail = await _b.App.HeadsetAsync("HS-0001");
        detail.Telemetry.BatteryPercent.ShouldBe(81);
        detail.Telemetry.BatteryTemperatureC.ShouldBe(31.5);
        detail.Counters.BatteryCycles.ShouldBe(143);
        detail.Summary.Online.ShouldBeTrue();
        (await _b.App.ReadinessAsync("HS-0001")).Warnings.Select(w => w.Code).ShouldNotContain("battery_unknown");
        var series = await (await _b.App.ClientAs("biomed")).Get<List<TelemetryPoint>>("/api/v1/headsets/HS-0001/telemetry?kind=battery");
        series.Single().BatteryPercent.ShouldBe(81);
    }

    [Fact]
    public async Task ALowBatteryReportBlocksALongSession()
    {
        var e = await _b.EnrollAsync("HS-0001");
        await _b.App.CleanAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        // Quest 3: 132 min at 100 %; 30 % gives about 40 min, less than 30 + 15.
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Battery, new { percent = 30, charging = false });
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the battery event");
        (await _b.App.ReadinessAsync("HS-0001", 30)).Reasons.Select(r => r.Code).ShouldBe(["battery_insufficient"]);
        (await _b.App.ReadinessAsync("HS-0001", 20)).Ready.ShouldBeTrue();
    }

    [Fact]
    public async Task BeingWornWhileCleanMakesItDirty()
    {
        var e = await _b.EnrollAsync("HS-0001");
        await _b.App.CleanAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        _b.App.Time.Advance(TimeSpan.FromMinutes(5));
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Worn, new { on = true });
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the worn event");
        (await _b.App.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
        var audit = await (await _b.App.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&action=headset.worn");
        audit.Single().Actor.ShouldBe("device:HS-0001");
    }

    [Fact]
    public async Task SessionEndedAddsUsageMakesItDirtyAndHoldsItWhenFramesWereDropped()
    {
        var e = await _b.EnrollAsync("HS-0001");
        await _b.App.CleanAsync("HS-0001");
        var session = await _b.App.AssignAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.SessionStarted, new { sessionId = session.Id, app = "com.vendor.therapy" });
        await _b.PublishEventAsync(agent, "HS-0001", 2, EventTypes.SessionEnded, new
        {
            sessionId = session.Id, app = "com.vendor.therapy", wearSeconds = 1260, fpsAvg = 66.0, droppedFramePercent = 7.5, trackingLostCount = 0,
        });
        await _b.WaitForStatsAsync(s => s.Stored == 2, "both session events");

        var detail = await _b.App.HeadsetAsync("HS-0001");
        detail.Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
        detail.Counters.Sessions.ShouldBe(1);
        detail.Counters.WearMinutes.ShouldBe(21);
        var ended = await (await _b.App.ClientAs("scheduler")).Get<SessionView>($"/api/v1/sessions/{session.Id}");
        ended.EndedBy.ShouldBe("device:HS-0001");
        ended.DroppedFramePercent.ShouldBe(7.5);
        ended.App.ShouldBe("com.vendor.therapy");
        detail.Flags.Single().RaisedByRule.ShouldBe("session_performance");
    }

    [Fact]
    public async Task ACompletedUvCycleIsACleaningByTheCabinetAndAnIncompleteOneIsInvalid()
    {
        var e = await _b.EnrollAsync("HS-0002");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0002", 1, EventTypes.CleaningCompleted, new { method = "uvc", cabinetId = "UV-2", cycleSeconds = 45, completed = false });
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the aborted cycle");
        (await _b.App.HeadsetAsync("HS-0002")).Summary.Hygiene.ShouldBe(HygieneStates.Dirty);

        _b.App.Time.Advance(TimeSpan.FromMinutes(2));
        await _b.PublishEventAsync(agent, "HS-0002", 2, EventTypes.CleaningCompleted, new { method = "uvc", cabinetId = "UV-2", cycleSeconds = 60, completed = true });
        await _b.WaitForStatsAsync(s => s.Stored == 2, "the completed cycle");

        (await _b.App.HeadsetAsync("HS-0002")).Summary.Hygiene.ShouldBe(HygieneStates.Clean);
        var history = await (await _b.App.ClientAs("nurse")).Get<List<CleaningView>>("/api/v1/headsets/HS-0002/cleanings");
        history.Count.ShouldBe(2);
        history[0].Valid.ShouldBeTrue();
        history[0].Operator.ShouldBe("cabinet:UV-2");
        history[0].Method.ShouldBe("uvc");
        history[1].Problems.Select(p => p.Code).ShouldBe(["uv_cycle_incomplete", "contact_time_not_met"], ignoreOrder: true);
    }

    [Fact]
    public async Task AComfortReportFromTheHeadsetAppliesTheAutoFlagRules()
    {
        var e = await _b.EnrollAsync("HS-0003");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0003", 1, EventTypes.ComfortReport, new { fms = 12, note = "dizzy after 10 min" });
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the comfort report");
        var reports = await (await _b.App.ClientAs("nurse")).Get<List<ComfortReportView>>("/api/v1/headsets/HS-0003/comfort-reports");
        reports.Single().Fms.ShouldBe(12);
        reports.Single().FlagId.ShouldNotBeNull();
        (await _b.App.ReadinessAsync("HS-0003")).Reasons.Select(r => r.Code).ShouldContain("motion_sickness_flag");
    }

    [Fact]
    public async Task AnEventIsStoredAtMostOnceAndSeqGapsAreReported()
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        var id = Guid.CreateVersion7();
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Heartbeat, new { uptimeS = 10, agentVersion = "1.0.0" }, id);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Heartbeat, new { uptimeS = 10, agentVersion = "1.0.0" }, id);
        await _b.PublishEventAsync(agent, "HS-0001", 4, EventTypes.Heartbeat, new { uptimeS = 40, agentVersion = "1.0.0" });

        var stats = await _b.WaitForStatsAsync(s => s.Received == 3, "three messages");
        stats.Stored.ShouldBe(2);
        stats.Duplicates.ShouldBe(1);
        var hs = stats.Headsets.Single();
        hs.LastSeq.ShouldBe(4);
        hs.Gaps.ShouldBe([new SeqGap(2, 3)]);

        await _b.PublishEventAsync(agent, "HS-0001", 2, EventTypes.Heartbeat, new { uptimeS = 20, agentVersion = "1.0.0" });
        await _b.PublishEventAsync(agent, "HS-0001", 3, EventTypes.Heartbeat, new { uptimeS = 30, agentVersion = "1.0.0" });
        stats = await _b.WaitForStatsAsync(s => s.Stored == 4, "the late events");
        stats.Headsets.Single().Gaps.ShouldBeEmpty();
        stats.Headsets.Single().MissingCount.ShouldBe(0);
    }

    [Fact]
    public async Task StatusMessagesAndTheLastWillTrackWhetherTheAgentIsOnline()
    {
        var e = await _b.EnrollAsync("HS-0004");
        var agent = new MQTTnet.MqttClientFactory().CreateMqttClient();
        await agent.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer(_b.Broker.Host, _b.Broker.Port)
            .WithClientId(e.ClientId).WithCredentials(e.Username, e.Password)
            .WithWillTopic(_b.Topics.Status("HS-0004")).WithWillPayload("""{"online":false}""").WithWillRetain()
            .WithWillQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await agent.PublishAsync(BrokerApp.Message(_b.Topics.Status("HS-0004"), """{"online":true,"at":"2026-11-22T08:00:00Z"}""", retain: true));
        await Eventually.Async(async () => (await _b.App.HeadsetAsync("HS-0004")).Summary.Online, "HS-0004 to be online");

        agent.Dispose(); // abrupt: the broker delivers the Will
        await Eventually.Async(async () => !(await _b.App.HeadsetAsync("HS-0004")).Summary.Online, "the Last Will to mark HS-0004 offline");
        var audit = await (await _b.App.ClientAs("biomed")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0004");
        audit.Select(a => a.Action).ShouldContain("headset.online");
        audit.Select(a => a.Action).ShouldContain("headset.offline");
    }
}
