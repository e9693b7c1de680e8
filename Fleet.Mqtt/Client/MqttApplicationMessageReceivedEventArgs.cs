using Fleet.Mqtt.Internal;

namespace Fleet.Mqtt.Client;

/// <summary>
/// A received application message, passed to <see cref="IMqttClient.ApplicationMessageReceivedAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Acknowledgement (QoS 1): by default the client sends PUBACK when the handler returns (also when it throws, so one bad
/// message cannot block every later acknowledgement). To acknowledge later, for example after a database commit of a
/// batch, set <see cref="AutoAcknowledge"/> to false inside the handler, keep these args, and call
/// <see cref="AcknowledgeAsync"/> from any thread once the message is safe.
/// </para>
/// <para>
/// MQTT 3.1.1 (4.6) requires PUBACKs in the order the PUBLISHes arrived. If the application acknowledges out of order,
/// later acknowledgements are held until every earlier message is acknowledged.
/// </para>
/// <para>
/// Back-pressure: unacknowledged QoS 1 messages are bounded by the broker's in-flight window for this client (Mosquitto's
/// <c>max_inflight_messages</c>, 20 by default): once it is full the broker queues further messages on its side until acks
/// arrive. Use a window at least as large as your batch. QoS 0 messages are not bounded: a handler that is slower than
/// the QoS 0 rate makes the client's receive queue grow.
/// </para>
/// </remarks>
public sealed class MqttApplicationMessageReceivedEventArgs
{
    private readonly IncomingAckQueue? _ackQueue;

    internal MqttApplicationMessageReceivedEventArgs(string clientId, MqttApplicationMessage message, ushort packetId, IncomingAckQueue? ackQueue)
    {
        ClientId = clientId;
        ApplicationMessage = message;
        PacketIdentifier = packetId;
        _ackQueue = ackQueue;
    }

    /// <summary>The receiving client's identifier.</summary>
    public string ClientId { get; }

    /// <summary>The message. Its payload stays valid after the handler returns.</summary>
    public MqttApplicationMessage ApplicationMessage { get; }

    /// <summary>The PUBLISH packet identifier (0 for QoS 0).</summary>
    public ushort PacketIdentifier { get; }

    /// <summary>
    /// True (default): PUBACK is sent when the handler returns. Set to false inside the handler to acknowledge later with
    /// <see cref="AcknowledgeAsync"/>; a message that is never acknowledged is redelivered by the broker (with
    /// <see cref="MqttApplicationMessage.Dup"/> set) after the next reconnect of a persistent session.
    /// </summary>
    public bool AutoAcknowledge { get; set; } = true;

    internal bool IsAcknowledged { get; set; }

    /// <summary>
    /// Acknowledges the message. Thread-safe, idempotent and never waits for the network: it returns once the
    /// acknowledgement is recorded. The PUBACK is queued at once, or (4.6 ordering) as soon as every earlier message is
    /// acknowledged too. If the connection that delivered the message has ended this does nothing, because the broker
    /// will redeliver the message. Does nothing for QoS 0.
    /// </summary>
    /// <param name="cancellationToken">Not used; the call does not wait.</param>
    public Task AcknowledgeAsync(CancellationToken cancellationToken = default)
    {
        _ackQueue?.Acknowledge(this);
        return Task.CompletedTask;
    }
}
