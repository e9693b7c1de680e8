using System.Threading.Channels;
using Fleet.Mqtt.Client;

namespace Fleet.Mqtt.Tests.Support;

/// <summary>Receives messages from a client's event so tests can await them with a timeout.</summary>
internal sealed class MessageCollector
{
    private readonly Channel<MqttApplicationMessageReceivedEventArgs> _messages = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();

    public MessageCollector(bool autoAcknowledge = true) => AutoAcknowledge = autoAcknowledge;

    public bool AutoAcknowledge { get; set; }

    public Task HandleAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = AutoAcknowledge;
        _messages.Writer.TryWrite(args);
        return Task.CompletedTask;
    }

    public async Task<MqttApplicationMessageReceivedEventArgs> NextAsync(TimeSpan? timeout = null) =>
        await _messages.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Timeouts.Default);

    public async Task<List<MqttApplicationMessageReceivedEventArgs>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        var result = new List<MqttApplicationMessageReceivedEventArgs>(count);
        using var cancel = new CancellationTokenSource(timeout ?? Timeouts.Default);
        while (result.Count < count)
        {
            result.Add(await _messages.Reader.ReadAsync(cancel.Token));
        }

        return result;
    }

    /// <summary>Messages already received and not yet taken.</summary>
    public List<MqttApplicationMessageReceivedEventArgs> Drain()
    {
        var result = new List<MqttApplicationMessageReceivedEventArgs>();
        while (_messages.Reader.TryRead(out var args))
        {
            result.Add(args);
        }

        return result;
    }
}
