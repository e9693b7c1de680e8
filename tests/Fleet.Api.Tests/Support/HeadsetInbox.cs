using System.Text.Json;
using System.Threading.Channels;
using Fleet.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fleet.Api.Tests.Support;

/// <summary>A headset's agent listening on its state and commands topics, and the next message there that matches.</summary>
public static class HeadsetInbox
{
    public static async Task<(IMqttClient Agent, Channel<MqttApplicationMessage> Inbox)> AgentListeningAsync(this BrokerApp b, string headsetId)
    {
        var e = await b.EnrollAsync(headsetId);
        var agent = await b.ConnectAsHeadsetAsync(e);
        var inbox = Channel.CreateUnbounded<MqttApplicationMessage>();
        agent.ApplicationMessageReceivedAsync += m => { inbox.Writer.TryWrite(m.ApplicationMessage); return Task.CompletedTask; };
        await agent.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(b.Topics.State(headsetId), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(b.Topics.Commands(headsetId), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return (agent, inbox);
    }

    public static async Task<T> NextAsync<T>(Channel<MqttApplicationMessage> inbox, string topicEnd, Func<T, bool> match)
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
}
