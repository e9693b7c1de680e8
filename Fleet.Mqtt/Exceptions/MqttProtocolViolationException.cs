namespace Fleet.Mqtt;

/// <summary>Which MQTT 3.1.1 rule a packet broke.</summary>
public enum MqttProtocolViolationReason
{
    /// <summary>The remaining length used more than four bytes.</summary>
    MalformedRemainingLength,

    /// <summary>The packet is larger than the configured maximum packet size.</summary>
    PacketTooLarge,

    /// <summary>Packet type 0 or 15 (reserved).</summary>
    ReservedPacketType,

    /// <summary>The fixed-header flags are not the ones the specification requires for this packet type.</summary>
    InvalidFixedHeaderFlags,

    /// <summary>The remaining length does not fit the packet type.</summary>
    InvalidRemainingLength,

    /// <summary>A field runs past the end of the packet, or bytes are left over after the last field.</summary>
    MalformedPacket,

    /// <summary>A string is not well-formed UTF-8 or contains U+0000.</summary>
    InvalidUtf8String,

    /// <summary>A PUBLISH topic name is empty or contains a wildcard.</summary>
    InvalidTopicName,

    /// <summary>A topic filter is empty or uses wildcards in a way the specification forbids.</summary>
    InvalidTopicFilter,

    /// <summary>QoS 3, or a QoS the receiver does not accept in this place.</summary>
    InvalidQualityOfService,

    /// <summary>Packet identifier 0 where a non-zero identifier is required.</summary>
    InvalidPacketIdentifier,

    /// <summary>CONNECT flags break the rules (reserved bit, will flags, password without user name).</summary>
    InvalidConnectFlags,

    /// <summary>CONNECT for a protocol other than MQTT 3.1.1.</summary>
    UnsupportedProtocol,

    /// <summary>A CONNACK or SUBACK return code that the specification does not define.</summary>
    InvalidReturnCode,

    /// <summary>A packet type the receiver must never get in its role or state.</summary>
    UnexpectedPacket,

    /// <summary>The connection ended in the middle of a packet.</summary>
    TruncatedPacket,
}

/// <summary>
/// A packet broke the MQTT 3.1.1 specification. The client closes the connection when it receives one.
/// </summary>
/// <param name="reason">Which rule was broken.</param>
/// <param name="message">Details for logs.</param>
public sealed class MqttProtocolViolationException(MqttProtocolViolationReason reason, string message)
    : MqttCommunicationException($"MQTT protocol violation ({reason}): {message}")
{
    /// <summary>Which rule was broken.</summary>
    public MqttProtocolViolationReason Reason { get; } = reason;
}
