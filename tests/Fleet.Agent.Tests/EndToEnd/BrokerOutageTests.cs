using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes.Simulated;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Agent.Tests.EndToEnd;

/// <summary>Agents in this process against the real broker and API, through a network the test can cut.</summary>
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task AgentsKeepProducingThroughANetworkDropAndABrokerRestartAndEveryEventIsStoredOnceWithoutGaps()
    {
        await using var fleet = await FleetStack.StartAsync();
        await using var network = new TcpRelay(fleet.Broker.Port);
        using var dir = new TempDirectory();
        string[] ids = ["HS-0001", "HS-0002", "HS-0003"];
        var agents = new List<HeadsetAgent>();
        foreach (var id in ids)
        {
            var options = fleet.AgentOptions(id, await fleet.EnrollAsync(id), dir);
            options.BrokerPort = network.Port;
            var device = new SimulatedDevice(SimulatedModel.For("quest-3"), "SN-" + id, 1, TimeProvider.System, new Random());
            var agent = new HeadsetAgent(options, device.Probes);
            await agent.StartAsync();
            agents.Add(agent);
        }
        try
        {
            foreach (var id in ids) await fleet.WaitUntilStoredAsync(id, 30);

            // The ward's network drops: the agents go on producing, into their outboxes.
            network.Cut();
            await Poll.UntilAsync(() => agents.All(a => !a.IsOnline), all => all, "the agents to notice the network is gone");
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.Depth), depth => depth >= 100, "events to wait in the outboxes");
            network.Restore();
            await Poll.UntilAsync(() => agents.All(a => a.IsOnline), all => all, "the agents to reconnect", TimeSpan.FromSeconds(30));
            // An agent keeps what Fleet has not confirmed yet: about a fifth of a second of its 50 events/s once caught up.
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.Depth), depth => depth < 100, "the outboxes to drain");

            // The broker stops (its sessions and queues are saved) and comes back.
            network.Cut();
            await fleet.Broker.StopAsync();
            var producedWhenDown = agents.Sum(a => a.Outbox.LastSeq);
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.Depth), depth => depth >= 150, "events to wait in the outboxes");
            agents.Sum(a => a.Outbox.LastSeq).ShouldBeGreaterThan(producedWhenDown);
            await fleet.Broker.StartAsync();
            // The agents come back at once, racing the API's reconnection: the broker kept the API's (plain) subscription,
            // so what they publish before the API is back waits in its session.
            network.Restore();
            await Poll.UntilAsync(() => agents.All(a => a.IsOnline), all => all, "the agents to reconnect", TimeSpan.FromSeconds(30));
            // An agent keeps what Fleet has not confirmed yet: about a fifth of a second of its 50 events/s once caught up.
            await Poll.UntilAsync(() => agents.Sum(a => a.Outbox.Depth), depth => depth < 100, "the outboxes to drain");
        }
        finally
        {
            // A clean stop: probes stop, the outbox empties, then goodbye. Whatever was produced is now final.
            foreach (var agent in agents) await agent.DisposeAsync();
        }

        foreach (var agent in agents)
        {
            agent.Outbox.Depth.ShouldBe(0);
            await fleet.ShouldHaveStoredExactlyOnceAsync(agent.HeadsetId, agent.Outbox.LastSeq);
        }
    }
}
