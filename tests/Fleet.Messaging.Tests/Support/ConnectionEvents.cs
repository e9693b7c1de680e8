using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Fleet.Messaging.Tests.Support;

/// <summary>Records what a <see cref="ResilientMqttConnection"/> raises, so a test can await the next connection or failure.</summary>
internal sealed class ConnectionEvents
{
    private readonly Channel<MqttClientConnectResult> _connections = Channel.CreateUnbounded<MqttClientConnectResult>();
    private readonly ConcurrentQueue<ConnectAttemptFailed> _failures = new();
    private int _disconnects;

    public ConnectionEvents(ResilientMqttConnection connection)
    {
        connection.Connected += result =>
        {
            _connections.Writer.TryWrite(result);
            return ValueTask.CompletedTask;
        };
        connection.ConnectingFailed += failed =>
        {
            _failures.Enqueue(failed);
            return ValueTask.CompletedTask;
        };
        connection.Disconnected += _ =>
        {
            Interlocked.Increment(ref _disconnects);
            return ValueTask.CompletedTask;
        };
    }

    public IReadOnlyList<ConnectAttemptFailed> Failures => [.. _failures];

    public int Disconnects => Volatile.Read(ref _disconnects);

    /// <summary>The next connection the loop established (after its subscriptions were in place).</summary>
    public async Task<MqttClientConnectResult> NextConnectionAsync() => await _connections.Reader.ReadAsync(Timeouts.Token());

    public Task WaitForFailuresAsync(int count) => Timeouts.WaitUntilAsync(() => _failures.Count >= count, $"{count} failed connection attempts");
}
