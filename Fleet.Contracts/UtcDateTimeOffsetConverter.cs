using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Contracts;

/// <summary>
/// Times on the wire are UTC with a Z, as the contracts show (<c>2026-11-21T10:15:00.123Z</c>); any explicit offset is
/// accepted on input, a time without one or before 2000 is refused (<see cref="WireTime"/>).
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !WireTime.TryParse(reader.GetString(), out var value))
            throw new PlainJsonException(WireTime.Expected);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

/// <summary>A refusal whose message is already plain words for the field it names (the API shows it as it is).</summary>
public sealed class PlainJsonException(string message) : JsonException(message);
