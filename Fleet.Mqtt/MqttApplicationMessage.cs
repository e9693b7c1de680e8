using System.Text;

namespace Fleet.Mqtt;

/// <summary>An application message as published to or received from the broker.</summary>
public sealed record MqttApplicationMessage
{
    /// <summary>The topic name. Must not be empty or contain the wildcards <c>+</c> / <c>#</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>
    /// The payload. For received messages the memory is owned by the message and stays valid after the
    /// handler returns, so it can be kept (for example in a batch that is committed later).
    /// </summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The quality of service the message is published or was delivered with.</summary>
    public MqttQualityOfServiceLevel QualityOfServiceLevel { get; init; }

    /// <summary>
    /// When publishing: ask the broker to retain the message for future subscribers. When receiving: the
    /// message was delivered from the broker's retained store because of a new subscription.
    /// </summary>
    public bool Retain { get; init; }

    /// <summary>
    /// Set on received messages the broker re-sent after a reconnect (QoS 1 may deliver duplicates).
    /// MQTT carries no message id, so applications that must not process a message twice deduplicate
    /// with their own id inside the payload. Ignored when publishing: the client sets DUP itself on re-sends.
    /// </summary>
    public bool Dup { get; init; }

    /// <summary>The payload decoded as UTF-8, for text payloads.</summary>
    public string ConvertPayloadToString() => Encoding.UTF8.GetString(Payload.Span);
}
