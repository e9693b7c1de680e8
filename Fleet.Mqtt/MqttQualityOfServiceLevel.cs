namespace Fleet.Mqtt;

/// <summary>MQTT delivery guarantee of a message or subscription.</summary>
public enum MqttQualityOfServiceLevel : byte
{
    /// <summary>QoS 0: fire and forget, the message may be lost.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged with PUBACK, the message may be delivered more than once.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: four-way handshake. Encoded by the codec but not supported by the client.</summary>
    ExactlyOnce = 2,
}
