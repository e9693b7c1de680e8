using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Internal;

/// <summary>A QoS 1 publish waiting for PUBACK; part of the client session, so it survives reconnects of a persistent session.</summary>
internal sealed class PendingPublish(MqttPublishPacket packet, long sequence)
{
    public MqttPublishPacket Packet { get; set; } = packet;

    /// <summary>Order of the original PublishAsync calls, kept on re-send.</summary>
    public long Sequence { get; } = sequence;

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
