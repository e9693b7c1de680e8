namespace Fleet.Mqtt.Packets;

/// <summary>MQTT 3.1.1 control packet types (upper nibble of the first fixed-header byte).</summary>
internal enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

/// <summary>A decoded or to-be-encoded control packet.</summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>Packets whose whole variable header is a packet identifier (PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK).</summary>
internal abstract record MqttPacketWithIdentifier(ushort PacketId) : MqttPacket;
