namespace Fleet.Mqtt.Client;

/// <summary>Outcome of a publish. MQTT 3.1.1 has no negative PUBACK, so failures are exceptions.</summary>
public enum MqttClientPublishReasonCode
{
    /// <summary>QoS 0: written to the connection. QoS 1: acknowledged by the broker.</summary>
    Success = 0,
}

/// <summary>Result of <see cref="IMqttClient.PublishAsync"/>.</summary>
/// <param name="PacketIdentifier">The packet id used (QoS 1), or null for QoS 0.</param>
/// <param name="ReasonCode">Always <see cref="MqttClientPublishReasonCode.Success"/>.</param>
public sealed record MqttClientPublishResult(ushort? PacketIdentifier, MqttClientPublishReasonCode ReasonCode)
{
    /// <summary>True when the publish succeeded.</summary>
    public bool IsSuccess => ReasonCode == MqttClientPublishReasonCode.Success;
}
