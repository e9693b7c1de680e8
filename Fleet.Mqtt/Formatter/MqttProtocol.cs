namespace Fleet.Mqtt.Formatter;

/// <summary>Protocol-wide limits.</summary>
internal static class MqttProtocol
{
    /// <summary>Largest value a four-byte remaining length can carry (2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>Largest possible packet: one type byte, four length bytes and the maximum remaining length.</summary>
    public const int MaxPacketSize = MaxRemainingLength + 5;

    public static int GetVariableByteIntegerSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };
}
