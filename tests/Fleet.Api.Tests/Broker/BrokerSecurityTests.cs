using Fleet.Api.Tests.Support;
using Fleet.Contracts.Mqtt;
using Fleet.Messaging;
using MQTTnet;
using MQTTnet.Protocol;
using Shouldly;

namespace Fleet.Api.Tests.Broker;

/// <summary>Per-headset broker credentials and ACLs, issued by enrollment.</summary>
public sealed class BrokerSecurityTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task HeadsetACannotPublishOnHeadsetBsTopics()
    {
        var a = await _b.EnrollAsync("HS-0001");
        await _b.EnrollAsync("HS-0002");

        // Over MQTT 5 the broker answers such a PUBLISH with the reason code "not authorised" (over 3.1.1 it could only
        // drop it). The proof is both that refusal and that nothing published on B's topics by A ever reaches Fleet.
        string[] forbidden = [_b.Topics.Events("HS-0002"), _b.Topics.Status("HS-0002"), _b.Topics.Confirmed("HS-0002")];
        foreach (var topic in forbidden)
        {
            using var agentA = await _b.ConnectAsHeadsetAsync(a);
            var payload = topic.EndsWith("events") ? BrokerApp.Event("HS-0002", 1, EventTypes.Worn, new { on = true }, _b.App.Time.GetUtcNow()) : """{"online":true}""";
            var result = await agentA.PublishAsync(BrokerApp.Message(topic, payload));
            result.ReasonCode.ShouldBe(MqttClientPublishReasonCode.NotAuthorized, topic);
        }
        using (var agentA = await _b.ConnectAsHeadsetAsync(a))
            await _b.PublishEventAsync(agentA, "HS-0001", 1, EventTypes.Heartbeat, new { uptimeS = 1, agentVersion = "1" });

        await _b.WaitForStatsAsync(s => s.Stored >= 1, "A's own event");
        var stats = await _b.StatsAsync();
        stats.Received.ShouldBe(1);
        stats.Headsets.Select(h => h.HeadsetId).ShouldBe(["HS-0001"]);
        var b = await Steps.HeadsetAsync(_b.App, "HS-0002");
        b.Summary.Online.ShouldBeFalse();
        b.Summary.Hygiene.ShouldBe(Fleet.Contracts.Api.HygieneStates.Dirty);
    }

    [Fact]
    public async Task HeadsetACannotSubscribeToHeadsetBsStateOrCommandsOrConfirmations()
    {
        var a = await _b.EnrollAsync("HS-0001");
        using var agentA = await _b.ConnectAsHeadsetAsync(a);
        var result = await agentA.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_b.Topics.State("HS-0001"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_b.Topics.Confirmed("HS-0001"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_b.Topics.State("HS-0002"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_b.Topics.Commands("HS-0002"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_b.Topics.Confirmed("HS-0002"), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("fleet/v1/headsets/+/events", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        result.Items.Select(i => i.ResultCode == MqttClientSubscribeResultCode.NotAuthorized)
            .ShouldBe([false, false, true, true, true, true]);
    }

    [Fact]
    public async Task RotatedCredentialsStopWorkingAndDisconnectTheOldSession()
    {
        var first = await _b.EnrollAsync("HS-0003");
        var old = await _b.ConnectAsHeadsetAsync(first);
        var dropped = new TaskCompletionSource();
        old.DisconnectedAsync += _ => { dropped.TrySetResult(); return Task.CompletedTask; };

        var second = await _b.EnrollAsync("HS-0003");
        second.Password.ShouldNotBe(first.Password);
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await Should.ThrowAsync<BrokerRefusedException>(() => _b.ConnectAsHeadsetAsync(first));
        refused.Result.ResultCode.ShouldBeOneOf(MqttClientConnectResultCode.NotAuthorized, MqttClientConnectResultCode.BadUserNameOrPassword);
        using var fresh = await _b.ConnectAsHeadsetAsync(second);
        fresh.IsConnected.ShouldBeTrue();
        var audit = await (await _b.App.ClientAs("biomed")).Get<List<Fleet.Contracts.Api.AuditEntryView>>("/api/v1/audit?entityId=HS-0003");
        audit.Select(x => x.Action).ShouldBe(["headset.credentials_rotated", "headset.enrolled"]);
        old.Dispose();
    }

    [Fact]
    public async Task ANurseCannotEnrollAHeadset()
    {
        var nurse = await _b.App.ClientAs("nurse");
        await Support.Http.ShouldBeProblem(await Support.Http.Post(nurse, "/api/v1/headsets/HS-0001/enroll"), System.Net.HttpStatusCode.Forbidden, "forbidden");
    }
}
