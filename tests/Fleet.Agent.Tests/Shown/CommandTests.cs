using Fleet.Agent.Core.Probes;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Agent.Tests.Shown;

public sealed class CommandTests
{
    private static readonly TimeSpan Valid = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ALockedHeadsetIsNotReadyEvenWhenFleetSaysItIs()
    {
        await using var h = new AgentHarness();
        await h.SendStateAsync(AgentHarness.Ready(h.Time.GetUtcNow()));

        await h.SendCommandAsync(Commands.Lock, Valid);

        h.Agent.Shown.Ready.ShouldBeFalse();
        h.Agent.Shown.Locked.ShouldBeTrue();
        h.Agent.Shown.Message.ShouldBe("DO NOT USE — It is locked by Fleet until it is unlocked.");

        await h.SendCommandAsync(Commands.Unlock, Valid);
        h.Agent.Shown.Ready.ShouldBeTrue();
        h.EventsOf(EventTypes.CommandResult).Select(r => r.GetProperty("ok").GetBoolean()).ShouldBe([true, true]);
    }

    [Fact]
    public async Task ALockSurvivesARestart()
    {
        using var dir = new TempDirectory();
        await using (var first = new AgentHarness(dir))
        {
            await first.SendCommandAsync(Commands.Lock, Valid);
        }

        await using var second = new AgentHarness(dir);
        second.Agent.Shown.Locked.ShouldBeTrue();
    }

    [Fact]
    public async Task AnExpiredCommandIsDroppedButStillAnswered()
    {
        await using var h = new AgentHarness();
        await h.SendStateAsync(AgentHarness.Ready(h.Time.GetUtcNow()));

        var id = await h.SendCommandAsync(Commands.Lock, TimeSpan.FromSeconds(-1));

        h.Agent.Shown.Locked.ShouldBeFalse();
        var result = h.EventsOf(EventTypes.CommandResult).ShouldHaveSingleItem();
        result.GetProperty("commandId").GetGuid().ShouldBe(id);
        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        result.GetProperty("detail").GetString()!.ShouldStartWith("expired");
    }

    [Fact]
    public async Task ACommandDeliveredTwiceIsCarriedOutAndAnsweredOnce()
    {
        await using var h = new AgentHarness();
        var id = Guid.CreateVersion7();

        await h.SendCommandAsync(Commands.Identify, Valid, id);
        await h.SendCommandAsync(Commands.Identify, Valid, id);

        h.Probes.Identified.ShouldBe(1);
        h.EventsOf(EventTypes.CommandResult).ShouldHaveSingleItem().GetProperty("detail").GetString().ShouldBe("beeped three times");
    }

    [Fact]
    public async Task SyncSendsDeviceInfoAndBatteryAtOnce()
    {
        await using var h = new AgentHarness();

        await h.SendCommandAsync(Commands.Sync, Valid);

        h.Events().Select(e => e.Type).ShouldBe([EventTypes.DeviceInfo, EventTypes.Battery, EventTypes.CommandResult]);
        h.EventsOf(EventTypes.CommandResult).Single().GetProperty("detail").GetString()!.ShouldStartWith("sent device.info and battery");
    }

    [Fact]
    public async Task SyncSaysSoWhenTheBatteryCannotBeRead()
    {
        await using var h = new AgentHarness();
        h.Probes.Battery = null;

        await h.SendCommandAsync(Commands.Sync, Valid);

        h.EventsOf(EventTypes.CommandResult).Single().GetProperty("detail").GetString()!.ShouldStartWith("sent device.info (no battery reading available)");
    }

    [Fact]
    public async Task AnUnknownCommandIsAnsweredAsNotRun()
    {
        await using var h = new AgentHarness();

        await h.SendCommandAsync("reboot", Valid);

        var result = h.EventsOf(EventTypes.CommandResult).ShouldHaveSingleItem();
        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        result.GetProperty("detail").GetString().ShouldBe("unknown command 'reboot'");
    }

    [Fact]
    public async Task SessionEventsCarryTheSessionFleetHandedTheHeadsetOutFor()
    {
        var sessions = new SessionReporter();
        await using var h = new AgentHarness(sessions: sessions);
        await h.Agent.StartAsync();
        var session = Guid.CreateVersion7();
        await h.SendStateAsync(AgentHarness.Ready(h.Time.GetUtcNow(), session) with { Ready = false });

        sessions.Started("com.vendor.therapy");
        await Poll.UntilAsync(() => h.EventsOf(EventTypes.SessionStarted), e => e.Count == 1, "the session to start");
        await h.SendStateAsync(AgentHarness.Dirty(h.Time.GetUtcNow().AddMinutes(30)));
        sessions.Ended("com.vendor.therapy", 1500, 71.5, 0.4, 1);
        h.Agent.RecordComfortReport(4, "mild headache");

        var ended = await Poll.UntilAsync(() => h.EventsOf(EventTypes.SessionEnded), e => e.Count == 1, "the session to end");
        h.EventsOf(EventTypes.SessionStarted).Single().GetProperty("sessionId").GetGuid().ShouldBe(session);
        ended[0].GetProperty("sessionId").GetGuid().ShouldBe(session);
        ended[0].GetProperty("fpsAvg").GetDouble().ShouldBe(71.5);
        h.EventsOf(EventTypes.ComfortReport).Single().GetProperty("sessionId").GetGuid().ShouldBe(session);
    }

    [Fact]
    public async Task HeartbeatsComeAtTheConfiguredInterval()
    {
        await using var h = new AgentHarness(configure: o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMinutes(1);
            o.BatteryInterval = TimeSpan.FromHours(1);
        });
        await h.Agent.StartAsync();
        await Poll.UntilAsync(() => h.Events().Count, n => n == 2, "the start-up device.info and battery");

        for (var i = 1; i <= 5; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await Poll.UntilAsync(() => h.EventsOf(EventTypes.Heartbeat).Count, n => n == i, $"heartbeat {i}");
        }

        h.EventsOf(EventTypes.Heartbeat).Last().GetProperty("uptimeS").GetInt64().ShouldBe(300);
    }
}
