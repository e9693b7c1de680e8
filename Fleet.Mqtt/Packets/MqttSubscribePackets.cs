namespace Fleet.Mqtt.Packets;

internal sealed record MqttSubscribePacket(ushort PacketId, IReadOnlyList<MqttTopicFilter> Filters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
}

/// <summary>SUBACK; each return code is 0x00-0x02 (granted QoS) or 0x80 (failure).</summary>
internal sealed record MqttSubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    public const byte Failure = 0x80;

    public override MqttPacketType Type => MqttPacketType.SubAck;
}

internal sealed record MqttUnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
}

internal sealed record MqttUnsubAckPacket(ushort PacketId) : MqttPacketWithIdentifier(PacketId)
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
