namespace Fleet.Mqtt.Packets;

internal sealed record MqttPublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfServiceLevel QualityOfServiceLevel,
    bool Retain = false,
    bool Dup = false,
    ushort PacketId = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
}

internal sealed record MqttPubAckPacket(ushort PacketId) : MqttPacketWithIdentifier(PacketId)
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

internal sealed record MqttPubRecPacket(ushort PacketId) : MqttPacketWithIdentifier(PacketId)
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

internal sealed record MqttPubRelPacket(ushort PacketId) : MqttPacketWithIdentifier(PacketId)
{
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

internal sealed record MqttPubCompPacket(ushort PacketId) : MqttPacketWithIdentifier(PacketId)
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}
