using System.Runtime.InteropServices;
using Fleet.Agent.Core.Storage;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Processes;
using Shouldly;

namespace Fleet.Agent.Tests.EndToEnd;

/// <summary><c>Fleet.Agent run</c> as a real process, killed with SIGKILL in the middle of its stream and started again on the same outbox.</summary>
public sealed class AgentCrashTests
{
    private const string HeadsetId = "HS-0004";

    [Fact]
    public async Task KillingTheAgentMidStreamAndRestartingItOnItsOutboxLosesNothingAndStoresNothingTwice()
    {
        await using var fleet = await FleetStack.StartAsync();
        using var dir = new TempDirectory();
        var options = fleet.AgentOptions(HeadsetId, await fleet.EnrollAsync(HeadsetId), dir);
        var environment = fleet.AgentEnvironment(options);

        long produced = 0;
        for (var run = 1; run <= 2; run++)
        {
            await using var agent = StartAgent(environment);
            await fleet.WaitUntilStoredAsync(HeadsetId, produced + 150);
            await OnlineAsync(fleet, true, "online while it runs");
            await agent.KillAsync();
            await OnlineAsync(fleet, false, "offline once the broker delivers its Last Will");
            var after = Counts(options.OutboxPath);
            after.LastSeq.ShouldBeGreaterThan(produced, "seq carries on from the outbox after a kill");
            produced = after.LastSeq;
        }

        await using (var last = StartAgent(environment))
        {
            await fleet.WaitUntilStoredAsync(HeadsetId, produced + 150);
            await StopGracefullyAsync(last);
        }

        await OnlineAsync(fleet, false, "offline after saying goodbye");
        var final = Counts(options.OutboxPath);
        final.Depth.ShouldBe(0, "a clean stop flushes the outbox");
        await fleet.ShouldHaveStoredExactlyOnceAsync(HeadsetId, final.LastSeq);
    }

    private static Task<HeadsetDetail> OnlineAsync(FleetStack fleet, bool online, string what) =>
        Poll.UntilAsync(() => fleet.Staff.Biomed.HeadsetAsync(HeadsetId),
            h => h.Summary.Online == online, $"{HeadsetId} to be {what}");

    private static ChildProcess StartAgent(Dictionary<string, string> environment) =>
        ChildProcess.StartDotnet("Fleet.Agent", RepositoryPaths.Program("Fleet.Agent"), environment, "run");

    /// <summary>What the outbox file says once no agent holds it.</summary>
    private static OutboxCounts Counts(string path)
    {
        using var outbox = Outbox.Open(path, HeadsetId);
        return outbox.Counts;
    }

    private static async Task StopGracefullyAsync(ChildProcess agent)
    {
        Terminate(agent.Id, 15).ShouldBe(0);
        await Poll.UntilAsync(() => agent.HasExited, exited => exited, "the agent to stop after SIGTERM", TimeSpan.FromSeconds(20));
        agent.Log.ShouldContain("agent stopped (0 events left in the outbox)");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);
}
