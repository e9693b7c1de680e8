using System.Text.Json;
using System.Threading.Channels;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The API tells each headset, on its own topic, which of its events are committed (mqtt-contract.md).</summary>
public sealed class ConfirmationTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    private async Task<(IMqttClient Agent, Channel<ConfirmedMessage> Confirmations)> AgentAsync(string headsetId)
    {
        var agent = await _b.ConnectAsHeadsetAsync(await _b.EnrollAsync(headsetId));
        var confirmations = Channel.CreateUnbounded<ConfirmedMessage>();
        agent.ApplicationMessageReceivedAsync += e =>
        {
            e.ApplicationMessage.Topic.ShouldBe(_b.Topics.Confirmed(headsetId));
            confirmations.Writer.TryWrite(JsonSerializer.Deserialize<ConfirmedMessage>(e.ApplicationMessage.ConvertPayloadToString(), FleetJson.Options)!);
            return Task.CompletedTask;
        };
        var subscribed = await agent.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_b.Topics.Confirmed(headsetId), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        subscribed.Items.Single().ResultCode.ShouldBe(MqttClientSubscribeResultCode.GrantedQoS1);
        return (agent, confirmations);
    }

    private static async Task<ConfirmedMessage> WaitForAsync(Channel<ConfirmedMessage> inbox, Func<ConfirmedMessage, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var m = await inbox.Reader.ReadAsync(timeout.Token);
            if (match(m)) return m;
        }
    }

    [Fact]
    public async Task CommittedEventsAreConfirmedToTheirHeadsetUpToTheHighestSeqWithNothingMissing()
    {
        var (agent, inbox) = await AgentAsync("HS-0001");
        using var _ = agent;
        for (var seq = 1; seq <= 5; seq++)
            await _b.PublishEventAsync(agent, "HS-0001", seq, EventTypes.Heartbeat, new HeartbeatData(seq, "test"));

        var confirmed = await WaitForAsync(inbox, m => m.UpTo == 5);
        confirmed.Ranges.ShouldBeNull();
        (await _b.StatsAsync()).Stored.ShouldBe(5);
    }

    [Fact]
    public async Task EventsAboveAGapAreConfirmedByRangeAndFillingTheGapMovesUpToPastThem()
    {
        var (agent, inbox) = await AgentAsync("HS-0002");
        using var _ = agent;
        foreach (var seq in new[] { 1, 2, 4, 5 })
            await _b.PublishEventAsync(agent, "HS-0002", seq, EventTypes.Heartbeat, new HeartbeatData(seq, "test"));
        var withGap = await WaitForAsync(inbox, m => m.Ranges is { Count: > 0 });
        withGap.UpTo.ShouldBe(2);
        withGap.Ranges!.Single().ShouldBe([4L, 5L]);
        withGap.Covers(3).ShouldBeFalse();
        withGap.Covers(5).ShouldBeTrue();

        await _b.PublishEventAsync(agent, "HS-0002", 3, EventTypes.Heartbeat, new HeartbeatData(3, "test"));
        var filled = await WaitForAsync(inbox, m => m.UpTo == 5);
        filled.Ranges.ShouldBeNull();
    }

    [Fact]
    public async Task ADeadLetteredEventOfTheHeadsetIsConfirmedSoItsAgentStopsSendingIt()
    {
        var (agent, inbox) = await AgentAsync("HS-0003");
        using var _ = agent;
        await _b.PublishEventAsync(agent, "HS-0003", 1, EventTypes.Heartbeat, new HeartbeatData(1, "test"));
        var tooOld = BrokerApp.Event("HS-0003", 2, EventTypes.Heartbeat, new HeartbeatData(2, "test"), _b.App.Time.GetUtcNow().AddDays(-4));
        await agent.PublishAsync(BrokerApp.Message(_b.Topics.Events("HS-0003"), tooOld));

        await WaitForAsync(inbox, m => m.UpTo == 2);
        var stats = await _b.StatsAsync();
        stats.Stored.ShouldBe(1);
        stats.DeadLettered.ShouldBe(1);
    }

    [Fact]
    public async Task ADuplicateIsConfirmedAgainSoALostConfirmationHealsItself()
    {
        var (agent, inbox) = await AgentAsync("HS-0004");
        using var _ = agent;
        var id = Guid.CreateVersion7();
        await _b.PublishEventAsync(agent, "HS-0004", 1, EventTypes.Heartbeat, new HeartbeatData(1, "test"), id);
        await WaitForAsync(inbox, m => m.UpTo == 1);

        await _b.PublishEventAsync(agent, "HS-0004", 1, EventTypes.Heartbeat, new HeartbeatData(1, "test"), id);
        await WaitForAsync(inbox, m => m.UpTo == 1);
        var stats = await _b.StatsAsync();
        stats.Stored.ShouldBe(1);
        stats.Duplicates.ShouldBe(1);
    }
}
