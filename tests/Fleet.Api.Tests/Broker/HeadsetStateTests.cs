using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Fleet.Api.Commands;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;
using Shouldly;

namespace Fleet.Api.Tests.Broker;

/// <summary>What the API tells headsets: retained state whenever readiness changes, and commands that expire.</summary>
public sealed class StateAndCommandTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    private async Task<(IMqttClient Agent, Channel<MqttApplicationMessage> Inbox)> AgentListeningAsync(string headsetId)
    {
        var e = await _b.EnrollAsync(headsetId);
        var agent = await _b.ConnectAsHeadsetAsync(e);
        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        agent.ApplicationMessageReceivedAsync += m => { inbox.Writer.TryWrite(m.ApplicationMessage); return Task.CompletedTask; };
        await agent.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_b.Topics.State(headsetId), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_b.Topics.Commands(headsetId), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return (agent, inbox);
    }

    private static async Task<T> NextAsync<T>(Channel<MqttApplicationMessage> inbox, string topicEnd, Func<T, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var m = await inbox.Reader.ReadAsync(timeout.Token);
            if (!m.Topic.EndsWith(topicEnd, StringComparison.Ordinal)) continue;
            var value = JsonSerializer.Deserialize<T>(m.ConvertPayloadToString(), FleetJson.Options)!;
            if (match(value)) return value;
        }
    }

    [Fact]
    public async Task TheRetainedStateFollowsReadinessAndSaysWhy()
    {
        var (agent, inbox) = await AgentListeningAsync("HS-0001");
        using var _ = agent;
        var dirty = await NextAsync<StateMessage>(inbox, "/state", s => true);
        dirty.Ready.ShouldBeFalse();
        dirty.Hygiene.ShouldBe("Dirty");
        dirty.Reasons.Select(r => r.Code).ShouldContain("not_clean");

        await _b.App.CleanAsync("HS-0001");
        var clean = await NextAsync<StateMessage>(inbox, "/state", s => s.Ready);
        clean.Hygiene.ShouldBe("Clean");
        clean.Reasons.ShouldBeEmpty();

        var session = await _b.App.AssignAsync("HS-0001");
        var inUse = await NextAsync<StateMessage>(inbox, "/state", s => s.Hygiene == "InUse");
        inUse.SessionId.ShouldBe(session.Id);
        inUse.Reasons.Select(r => r.Code).ShouldBe(["in_use"]);
    }

    [Fact]
    public async Task AnOverdueCleaningMakesTheStateSayNeedsCleaning()
    {
        var (agent, inbox) = await AgentListeningAsync("HS-0002");
        using var _ = agent;
        await NextAsync<StateMessage>(inbox, "/state", s => true);
        _b.App.Time.Advance(TimeSpan.FromMinutes(31)); // seeded Dirty at start; due after 30 min
        var overdue = await NextAsync<StateMessage>(inbox, "/state", s => s.Reasons.Any(r => r.Code == "cleaning_overdue"));
        overdue.Reasons[0].Message.ShouldStartWith("Needs cleaning");
    }

    [Fact]
    public async Task ACommandReachesTheHeadsetWithItsExpiryAndItsResultIsRecorded()
    {
        var (agent, inbox) = await AgentListeningAsync("HS-0003");
        using var _ = agent;
        var biomed = await _b.App.ClientAs("biomed");
        var issued = await biomed.Post("/api/v1/headsets/HS-0003/commands", new CommandRequest("identify", 120));
        await issued.ShouldBe(HttpStatusCode.Accepted);
        var view = await issued.Read<CommandView>();
        view.ExpiresAt.ShouldBe(view.IssuedAt.AddSeconds(120));

        var command = await NextAsync<CommandMessage>(inbox, "/commands", c => c.Id == view.Id);
        command.Command.ShouldBe("identify");
        command.ExpiresAt.ShouldBe(view.ExpiresAt);

        await _b.PublishEventAsync(agent, "HS-0003", 1, EventTypes.CommandResult, new { commandId = view.Id, ok = true, detail = "LED blinked" });
        await Eventually.Async(async () =>
            (await biomed.Get<List<CommandView>>("/api/v1/headsets/HS-0003/commands")).Single().ResultOk == true, "the command result");
        (await biomed.Get<List<CommandView>>("/api/v1/headsets/HS-0003/commands")).Single().ResultDetail.ShouldBe("LED blinked");
    }

    [Fact]
    public async Task AnUnknownCommandIsRefused()
    {
        var biomed = await _b.App.ClientAs("biomed");
        var r = await biomed.Post("/api/v1/headsets/HS-0003/commands", new CommandRequest("self-destruct", null));
        await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}
