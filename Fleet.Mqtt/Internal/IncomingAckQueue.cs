using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Internal;

/// <summary>
/// Releases PUBACKs for one connection strictly in the order the QoS 1 PUBLISHes arrived (MQTT 3.1.1 4.6),
/// whatever order the application acknowledges them in.
/// </summary>
internal sealed class IncomingAckQueue(MqttConnection connection)
{
    private readonly Queue<MqttApplicationMessageReceivedEventArgs> _unacknowledged = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _unacknowledged.Count;
            }
        }
    }

    public void Register(MqttApplicationMessageReceivedEventArgs message)
    {
        lock (_lock)
        {
            _unacknowledged.Enqueue(message);
        }
    }

    public void Acknowledge(MqttApplicationMessageReceivedEventArgs message)
    {
        lock (_lock)
        {
            if (message.IsAcknowledged)
            {
                return;
            }

            message.IsAcknowledged = true;

            // Enqueue under the lock so concurrent acknowledgers cannot reorder PUBACKs on the wire.
            while (_unacknowledged.TryPeek(out var head) && head.IsAcknowledged)
            {
                _unacknowledged.Dequeue();
                connection.TryEnqueue(new MqttPubAckPacket(head.PacketIdentifier));
            }
        }
    }
}
