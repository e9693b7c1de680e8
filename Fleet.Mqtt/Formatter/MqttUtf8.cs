using System.Text;
using System.Text.Unicode;

namespace Fleet.Mqtt.Formatter;

/// <summary>MQTT UTF-8 string rules (1.5.3): well-formed UTF-8, no U+0000, at most 65,535 bytes.</summary>
internal static class MqttUtf8
{
    public const int MaxStringBytes = ushort.MaxValue;

    // Throws on lone surrogates instead of silently writing U+FFFD.
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsValid(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) && !bytes.Contains((byte)0);

    /// <summary>Byte count of a string we are about to send; throws <see cref="ArgumentException"/> if MQTT cannot carry it.</summary>
    public static int GetByteCountForSending(string value, string paramName)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("MQTT strings must not contain U+0000.", paramName);
        }

        int count;
        try
        {
            count = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The string is not valid UTF-16 (lone surrogate), so it has no UTF-8 form.", paramName, e);
        }

        if (count > MaxStringBytes)
        {
            throw new ArgumentException($"MQTT strings are limited to {MaxStringBytes} UTF-8 bytes; this one has {count}.", paramName);
        }

        return count;
    }
}
