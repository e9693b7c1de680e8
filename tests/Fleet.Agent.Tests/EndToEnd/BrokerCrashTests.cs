using System.Diagnostics;
using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes.Simulated;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Agent.Tests.EndToEnd;

/// <summary>
/// End-to-end confirmation: a broker that crashes loses what it had acknowledged but not yet persisted or delivered,
/// and (Mosquitto 2.0.11) a shared subscription; the agents keep every event until the API confirms it, so nothing is lost.
/// </summary>
public sealed class BrokerCrashTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillingTheBrokerWhileTheApiIsPausedLosesNothingAndStoresEveryEventOnceWithoutGaps(bool sharedSubscription)
    {
        await using var fleet = await FleetStack.StartAsync(new Dictionary<string, string>
        {
            ["Fleet__Mqtt__SharedSubscription"] = sharedSubscription ? "true" : "false",
        });
        using var dir = new TempDirectory();
        string[] ids = ["HS-0001", "HS-0002", "HS-0003"];
        var agents = new List<HeadsetAgent>();
        foreach (var id in ids)
        {
            var device = new SimulatedDevice(SimulatedModel.For("quest-3"), "SN-" + id, 1, TimeProvider.System, new Random());
            var agent = new HeadsetAgent(fleet.AgentOptions(id, await fleet.EnrollAsync(id), dir), device.Probes);
            await agent.StartAsync();
            agents.Add(agent);
        }
        try
        {
            foreach (var id in ids) await fleet.WaitUntilStoredAsync(id, 20);

            // The API freezes (SIGSTOP): the broker acknowledges what the agents publish and queues it for the API.
            Signal(fleet.Api.Id, "STOP");
            var queuedFrom = agents.Sum(a => a.Outbox.LastSeq);
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.LastSeq), last => last >= queuedFrom + 60, "events to be published while the API is frozen");

            // The broker crashes (SIGKILL): what it acknowledged and queued since its last save is gone.
            await fleet.Broker.KillAsync();
            var producedWhenDown = agents.Sum(a => a.Outbox.LastSeq);
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.LastSeq), last => last >= producedWhenDown + 30, "events to wait in the outboxes");
            await fleet.Broker.StartAsync();
            await Poll.UntilAsync(() => agents.All(a => a.IsOnline), all => all, "the agents to reconnect", TimeSpan.FromSeconds(30));
            // The agents publish to the restarted broker before the API is back (with a shared subscription the broker
            // dropped, nobody receives those); then the API resumes.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Signal(fleet.Api.Id, "CONT");
        }
        finally
        {
            Signal(fleet.Api.Id, "CONT");
            // A clean stop: probes stop and each agent waits until Fleet has confirmed everything it produced.
            foreach (var agent in agents) await agent.DisposeAsync();
        }

        foreach (var agent in agents)
        {
            var stats = await fleet.StatsAsync(agent.HeadsetId);
            agent.Outbox.Depth.ShouldBe(0, $"{agent.HeadsetId}: everything confirmed before the agent stopped (produced {agent.Outbox.LastSeq}, " +
                $"stored {stats?.Stored}, last seq {stats?.LastSeq}, gaps {string.Join(' ', stats?.Gaps.Select(g => $"{g.From}-{g.To}") ?? [])})\n" +
                string.Join('\n', fleet.Api.Log.Split('\n').TakeLast(40)));
            await fleet.ShouldHaveStoredExactlyOnceAsync(agent.HeadsetId, agent.Outbox.LastSeq);
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
