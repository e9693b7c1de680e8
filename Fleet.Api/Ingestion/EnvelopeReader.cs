using System.Text.Json;
using Fleet.Contracts.Mqtt;

namespace Fleet.Api.Ingestion;

/// <summary>The envelope's fields, read in one pass without building a document.</summary>
public readonly record struct Envelope(Guid Id, long Seq, string Type, DateTimeOffset At, int DataStart, int DataLength);

/// <summary>
/// Reads an event envelope with <see cref="Utf8JsonReader"/>: one forward pass, no document and no strings for the
/// fields that only need comparing (headset, type). Unknown fields are skipped (a newer agent may add some).
/// Problems are reported in the order id, headset, seq, type, at, data, as the contract lists them.
/// </summary>
public static class EnvelopeReader
{
    public static (Envelope? Envelope, Rejection? Rejection) Read(ReadOnlySpan<byte> payload, string topicHeadsetId, out string? headsetInEnvelope)
    {
        headsetInEnvelope = null;
        Rejection? id = Missing("id"), headset = Missing("headset"), seq = Missing("seq"), type = Missing("type"), at = Missing("at");
        Guid idValue = default;
        long seqValue = 0;
        string? typeValue = null;
        DateTimeOffset atValue = default;
        int dataStart = -1, dataLength = 0;
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return (null, new(DeadLetterReasons.NotJson, "The payload is not a JSON object."));
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out idValue) ? null : Invalid("id", "must be a UUID");
                }
                else if (reader.ValueTextEquals("headset"u8))
                {
                    reader.Read();
                    headset = Text(ref reader, "headset", EventValidator.MaxHeadsetIdLength);
                    if (headset is null && !reader.ValueTextEquals(topicHeadsetId)) headsetInEnvelope = reader.GetString();
                    else if (headset is null) headsetInEnvelope = topicHeadsetId;
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out seqValue)
                        ? seqValue >= 0 ? null : Invalid("seq", $"is {seqValue}; it must be between 0 and {long.MaxValue}")
                        : Invalid("seq", "must be an integer");
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = Text(ref reader, "type", 40);
                    if (type is null) typeValue = Known(ref reader) ?? reader.GetString();
                }
                else if (reader.ValueTextEquals("at"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var t)) { atValue = t.ToUniversalTime(); at = null; }
                    else if (reader.TokenType != JsonTokenType.Null) at = Invalid("at", "must be an ISO 8601 time");
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    dataStart = -1;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        dataStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        dataLength = (int)reader.BytesConsumed - dataStart;
                    }
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            // Anything after the object (a second value, stray bytes) is not JSON of the contract.
            if (reader.Read()) return (null, new(DeadLetterReasons.NotJson, "The payload has more than one JSON value."));
        }
        catch (JsonException e)
        {
            return (null, new(DeadLetterReasons.NotJson, $"The payload is not JSON: {e.Message}"));
        }

        var first = id ?? headset ?? seq ?? type ?? at;
        if (first is not null) return (null, first);
        if (dataStart < 0) return (null, new(DeadLetterReasons.MissingField, "'data' is missing or not an object."));
        return (new Envelope(idValue, seqValue, typeValue!, atValue, dataStart, dataLength), null);
    }

    /// <summary>The contract's own string for a known type, so no new string is made for it.</summary>
    private static string? Known(ref Utf8JsonReader reader)
    {
        foreach (var t in EventTypes.All)
        {
            if (reader.ValueTextEquals(t)) return t;
        }
        return null;
    }

    private static Rejection? Text(ref Utf8JsonReader reader, string name, int max)
    {
        if (reader.TokenType == JsonTokenType.Null) return Missing(name);
        if (reader.TokenType != JsonTokenType.String) return Invalid(name, "must be a string");
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length == 0) return Invalid(name, "must not be empty");
        // The escaped byte length bounds the character count from above; only a long value needs the exact count.
        if (length > max && reader.GetString()!.Length > max) return Invalid(name, $"is longer than {max} characters");
        return null;
    }

    private static Rejection Missing(string name) => new(DeadLetterReasons.MissingField, $"'{name}' is missing.");

    private static Rejection Invalid(string name, string problem) => new(DeadLetterReasons.InvalidField, $"'{name}' {problem}.");
}
