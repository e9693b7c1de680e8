using System.Threading.Channels;

namespace Fleet.Messaging.Tests.Support;

/// <summary>Collects what a client receives so a test can await it; optionally leaves acknowledging to the test.</summary>
internal sealed class MessageCollector
{
    private readonly Channel<MqttApplicationMessageReceivedEventArgs> _messages = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();
    private readonly bool _autoAcknowledge;

    public MessageCollector(IMqttClient client, bool autoAcknowledge = true)
    {
        _autoAcknowledge = autoAcknowledge;
        client.ApplicationMessageReceivedAsync += HandleAsync;
    }

    private Task HandleAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = _autoAcknowledge;
        _messages.Writer.TryWrite(e);
        return Task.CompletedTask;
    }

    public async Task<MqttApplicationMessageReceivedEventArgs> NextAsync() =>
        await _messages.Reader.ReadAsync(Timeouts.Token());

    public async Task<List<MqttApplicationMessageReceivedEventArgs>> TakeAsync(int count)
    {
        var result = new List<MqttApplicationMessageReceivedEventArgs>(count);
        var timeout = Timeouts.Token();
        while (result.Count < count) result.Add(await _messages.Reader.ReadAsync(timeout));
        return result;
    }

    /// <summary>
    /// Waits for one message, then takes what else has arrived, up to <paramref name="max"/>. A consumer that acknowledges
    /// after a batch must not wait for a full one: the broker stops sending once its in-flight window is unacknowledged.
    /// </summary>
    public async Task<List<MqttApplicationMessageReceivedEventArgs>> TakeAvailableAsync(int max)
    {
        var result = new List<MqttApplicationMessageReceivedEventArgs> { await NextAsync() };
        while (result.Count < max && _messages.Reader.TryRead(out var more)) result.Add(more);
        return result;
    }

    /// <summary>Reads up to and including the message whose payload is <paramref name="sentinel"/>.</summary>
    public async Task<List<string>> TakeUntilAsync(string sentinel)
    {
        var payloads = new List<string>();
        var timeout = Timeouts.Token();
        while (payloads.LastOrDefault() != sentinel) payloads.Add((await _messages.Reader.ReadAsync(timeout)).Text());
        return payloads;
    }
}
