using Fleet.Agent.Core;
using Fleet.Agent.Core.Shown;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Agent.Tests.EndToEnd;

/// <summary>What the headset shows follows what Fleet decides, through the real API, broker and retained state.</summary>
public sealed class ShownStateEndToEndTests
{
    private const string HeadsetId = "HS-0005";

    [Fact]
    public async Task TheStatusFileFollowsFleetThroughCommandsACleaningAndASession()
    {
        await using var fleet = await FleetStack.StartAsync();
        using var dir = new TempDirectory();
        var options = fleet.AgentOptions(HeadsetId, await fleet.EnrollAsync(HeadsetId), dir);
        options.HeartbeatInterval = options.BatteryInterval = TimeSpan.FromSeconds(5);
        var staff = fleet.Staff;
        var ct = CancellationToken.None;

        var agent = await StartAsync(options);
        await StatusAsync(options, s => s.Online && s.Message == "DO NOT USE — It is dirty and must be cleaned before the next patient.", "dirty, as seeded");

        // The nurse starts a wipe; its real contact time runs while the commands are tried.
        var cleaning = await staff.Nurse.StartCleaningAsync(HeadsetId, "peroxide-wipe", ct: ct);
        await StatusAsync(options, s => s.Hygiene == HygieneStates.Cleaning, "being cleaned");

        var locked = await staff.Biomed.CommandAsync(HeadsetId, Commands.Lock, ttlSeconds: null);
        await StatusAsync(options, s => s.Locked && s.Reasons[0].Code == ShownState.LockedCode, "locked");
        await staff.Biomed.CommandAsync(HeadsetId, Commands.Unlock, ttlSeconds: null);
        await StatusAsync(options, s => !s.Locked, "unlocked");

        // A command that expires while the agent is away never reaches it: its MQTT 5 message expiry lets the broker drop
        // it from the agent's session (agents on 3.1.1 drop it by expiresAt instead, see CommandTests). One sent after the
        // agent is back arrives, through the same session, and is answered.
        await agent.DisposeAsync();
        var identify = await staff.Biomed.CommandAsync(HeadsetId, Commands.Identify, ttlSeconds: 5);
        await Poll.UntilAsync(() => staff.Biomed.CommandsAsync(HeadsetId), list => list.Single(c => c.Id == identify.Id).PublishedAt is not null, "the command to be published");
        await Task.Delay(TimeSpan.FromSeconds(6));
        agent = await StartAsync(options);
        var sync = await staff.Biomed.CommandAsync(HeadsetId, Commands.Sync, ttlSeconds: null);
        var answered = await Poll.UntilAsync(() => staff.Biomed.CommandsAsync(HeadsetId), list => list.Single(c => c.Id == sync.Id).ResultAt is not null,
            "the command sent after the agent came back to be answered");
        answered.Single(c => c.Id == sync.Id).ResultOk.ShouldBe(true);
        answered.Single(c => c.Id == identify.Id).ResultAt.ShouldBeNull("the broker dropped the expired command");
        answered.Single(c => c.Id == locked.Id).ResultOk.ShouldBe(true);

        var wait = cleaning.EarliestCompletion - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        (await staff.Nurse.CompleteCleaningAsync(cleaning.Id, false, ct: ct)).Valid.ShouldBeTrue();
        await StatusAsync(options, s => s.Ready && s.Message == "READY", "ready after a valid cleaning");

        var session = await staff.Scheduler.AssignAsync(new AssignRequest(HeadsetId, "MRN-1", "paediatrics", 30, null), ct);
        await StatusAsync(options, s => !s.Ready && s.SessionId == session.Id, "handed out for the session");
        await staff.Scheduler.EndSessionAsync(session.Id, ct);
        await StatusAsync(options, s => s.Hygiene == HygieneStates.Dirty && s.SessionId is null, "dirty again after the session");

        await agent.DisposeAsync();
        StatusFile.Read(options.StatusFilePath!)!.Online.ShouldBeFalse();
    }

    private static async Task<HeadsetAgent> StartAsync(AgentOptions options)
    {
        var agent = new HeadsetAgent(options, new Shown.FakeProbes().AsProbes());
        await agent.StartAsync();
        return agent;
    }

    private static Task<ShownState?> StatusAsync(AgentOptions options, Func<ShownState, bool> condition, string what) =>
        Poll.UntilAsync(() => StatusFile.Read(options.StatusFilePath!), s => s is not null && condition(s), $"the status file to say {what}");
}
