using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Fleet.Contracts;

namespace Fleet.Agent.Core.Events;

/// <summary>
/// Writes the agent's messages exactly as mqtt-contract.md shows them: envelope fields in the contract's order, times in
/// UTC with exactly three fraction digits (<c>2026-11-21T10:15:00.123Z</c>), data camelCase with nulls left out.
/// </summary>
public static class EventJson
{
    /// <summary>Drops sub-millisecond ticks, so the time in the JSON, the UUID v7 and the outbox all agree.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One event envelope as UTF-8 JSON.</summary>
    public static byte[] Envelope(Guid id, string headsetId, long seq, string type, DateTimeOffset at, object data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id.ToString("D"));
            w.WriteString("headset", headsetId);
            w.WriteNumber("seq", seq);
            w.WriteString("type", type);
            w.WriteString("at", FormatTime(at));
            w.WritePropertyName("data");
            JsonSerializer.Serialize(w, data, data.GetType(), FleetJson.Options);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The retained status: <c>{"online":true,"at":"..."}</c>, or the Last Will <c>{"online":false}</c> without a time.</summary>
    public static byte[] Status(bool online, DateTimeOffset? at)
    {
        var buffer = new ArrayBufferWriter<byte>(48);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("online", online);
            if (at is { } t) w.WriteString("at", FormatTime(t));
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
