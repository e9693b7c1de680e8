namespace Fleet.Mqtt.Packets;

internal sealed record MqttPingReqPacket : MqttPacket
{
    public static readonly MqttPingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

internal sealed record MqttPingRespPacket : MqttPacket
{
    public static readonly MqttPingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}

internal sealed record MqttDisconnectPacket : MqttPacket
{
    public static readonly MqttDisconnectPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
