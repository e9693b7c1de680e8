namespace Fleet.Mqtt.Packets;

internal sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfServiceLevel QualityOfServiceLevel, bool Retain);

internal sealed record MqttConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    string? Username = null,
    ReadOnlyMemory<byte>? Password = null,
    MqttWill? Will = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;
}

/// <summary>CONNACK return codes (3.2.2.3).</summary>
internal enum MqttConnectReturnCode : byte
{
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
}

internal sealed record MqttConnAckPacket(bool SessionPresent, MqttConnectReturnCode ReturnCode) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}
