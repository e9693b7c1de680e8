using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Internal;

/// <summary>
/// A QoS 1 publish waiting for a slot in the in-flight window or for PUBACK; part of the client session, so it survives
/// reconnects of a persistent session.
/// </summary>
internal sealed class PendingPublish(MqttApplicationMessage message)
{
    public MqttApplicationMessage Message { get; } = message;

    /// <summary>Null while waiting for a slot; set (with its packet id) once in flight.</summary>
    public MqttPublishPacket? Packet { get; set; }

    /// <summary>Order of the original PublishAsync calls, kept on re-send.</summary>
    public long Sequence { get; set; }

    /// <summary>Cancelled while waiting for a slot; skipped when slots free up.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Whether it has been handed to a connection; only then does a re-send carry DUP=1.</summary>
    public bool Sent { get; set; }

    public TaskCompletionSource<MqttClientPublishResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement on the current connection.</summary>
internal sealed class PendingRequest(MqttPacketType expectedAck)
{
    public MqttPacketType ExpectedAck { get; } = expectedAck;

    public TaskCompletionSource<MqttPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
