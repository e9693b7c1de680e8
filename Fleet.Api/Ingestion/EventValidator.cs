using System.Globalization;
using System.Text.Json;
using Fleet.Contracts.Mqtt;
using Fleet.Domain.Hygiene;

namespace Fleet.Api.Ingestion;

/// <summary>
/// An event envelope that passed every check of the contract, with its data still as JSON. It owns the parsed
/// document (no copy is made on the hot path), so dispose it once the event has been applied.
/// </summary>
public sealed record ValidEvent(Guid Id, string HeadsetId, long Seq, string Type, DateTimeOffset At, JsonElement Data, JsonDocument Document) : IDisposable
{
    public string DataJson => Data.GetRawText();

    public void Dispose() => Document.Dispose();
}

/// <summary>
/// Checks an event against mqtt-contract.md before anything is applied: size, JSON, every field's presence,
/// type and range, the type, the topic's headset, and the time window. Never trusts a byte.
/// </summary>
public static class EventValidator
{
    public static readonly TimeSpan MaxAge = HygienePolicy.Default.LateEntryWindow;
    public const int MaxHeadsetIdLength = 40;
    public const int MaxText = 1000;

    public static (ValidEvent? Event, Rejection? Rejection) Validate(string topicHeadsetId, ReadOnlyMemory<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > EventEnvelope.MaxPayloadBytes)
            return Reject(DeadLetterReasons.PayloadTooLarge, $"The payload is {payload.Length} bytes; the limit is {EventEnvelope.MaxPayloadBytes}.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Reject(DeadLetterReasons.NotJson, $"The payload is not JSON: {e.Message}");
        }
        var keep = false;
        try
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Reject(DeadLetterReasons.NotJson, "The payload is not a JSON object.");
            var f = new Fields(root);
            var id = f.Guid("id");
            var headset = f.Text("headset", MaxHeadsetIdLength);
            var seq = f.Long("seq", 0, long.MaxValue);
            var type = f.Text("type", 40);
            var at = f.Time("at");
            if (f.Problem is { } p) return (null, p);
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                return Reject(DeadLetterReasons.MissingField, "'data' is missing or not an object.");
            if (!EventTypes.All.Contains(type)) return Reject(DeadLetterReasons.UnknownType, $"'{type}' is not an event type of contract v1.");
            if (headset != topicHeadsetId)
                return Reject(DeadLetterReasons.TopicMismatch, $"The envelope says headset '{headset}' but it was published on {topicHeadsetId}'s topic.");
            if (now - at > MaxAge) return Reject(DeadLetterReasons.TooOld, $"'at' ({at:O}) is more than {MaxAge.TotalHours:0} h old.");
            if (at - now > HygienePolicy.FutureSkew) return Reject(DeadLetterReasons.InFuture, $"'at' ({at:O}) is more than {HygienePolicy.FutureSkew.TotalMinutes:0} min in the future.");
            if (DataProblem(type!, new Fields(data, "data.")) is { } dp) return (null, dp);
            keep = true;
            return (new ValidEvent(id, headset!, seq, type!, at, data, doc), null);
        }
        finally
        {
            if (!keep) doc.Dispose();
        }
    }

    /// <summary>The shape of each event type's data; optional fields may be absent or null but never of the wrong type.</summary>
    private static Rejection? DataProblem(string type, Fields d)
    {
        switch (type)
        {
            case EventTypes.Heartbeat:
                d.Long("uptimeS", 0, long.MaxValue); d.Text("agentVersion", 40);
                break;
            case EventTypes.DeviceInfo:
                d.OptionalText("model", 100); d.OptionalText("serial", 100); d.OptionalText("firmware", 100); d.OptionalText("os", 100);
                d.OptionalLong("storageFreeMb", 0, 100_000_000); d.OptionalLong("wifiRssi", -150, 0);
                break;
            case EventTypes.Battery:
                d.Long("percent", 0, 100); d.Bool("charging"); d.OptionalDouble("temperatureC", -40, 150);
                d.OptionalLong("healthPercent", 0, 100); d.OptionalLong("cycleCount", 0, 1_000_000);
                break;
            case EventTypes.Worn:
                d.Bool("on");
                break;
            case EventTypes.SessionStarted:
                d.OptionalGuid("sessionId"); d.OptionalText("app", 200);
                break;
            case EventTypes.SessionEnded:
                d.OptionalGuid("sessionId"); d.OptionalText("app", 200); d.Long("wearSeconds", 0, 7 * 24 * 3600);
                d.OptionalDouble("fpsAvg", 0, 1000); d.OptionalDouble("droppedFramePercent", 0, 100); d.OptionalLong("trackingLostCount", 0, 1_000_000);
                break;
            case EventTypes.CleaningCompleted:
                var method = d.Text("method", 40);
                if (d.Problem is null && method != "uvc") return new(DeadLetterReasons.InvalidField, $"'data.method' is '{method}'; agents report only 'uvc' cabinet cycles.");
                d.OptionalText("cabinetId", 100); d.Long("cycleSeconds", 0, 24 * 3600); d.Bool("completed");
                break;
            case EventTypes.ComfortReport:
                d.OptionalGuid("sessionId"); var fms = d.OptionalLong("fms", 0, 20); var note = d.OptionalText("note", MaxText);
                if (d.Problem is null && fms is null && note is null) return new(DeadLetterReasons.MissingField, "A comfort report needs 'data.fms', 'data.note' or both.");
                break;
            case EventTypes.CommandResult:
                d.Guid("commandId"); d.Bool("ok"); d.OptionalText("detail", MaxText);
                break;
        }
        return d.Problem;
    }

    private static (ValidEvent?, Rejection?) Reject(string reason, string detail) => (null, new Rejection(reason, detail));

    /// <summary>Reads fields and remembers the first problem, so a validation reads as a list of expectations.</summary>
    private sealed class Fields(JsonElement obj, string prefix = "")
    {
        public Rejection? Problem { get; private set; }

        private bool TryGet(string name, bool required, out JsonElement value)
        {
            if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
            if (required) Fail(DeadLetterReasons.MissingField, $"'{prefix}{name}' is missing.");
            return false;
        }

        private void Fail(string reason, string detail) => Problem ??= new(reason, detail);

        public string? Text(string name, int max) => TextCore(name, max, required: true);
        public string? OptionalText(string name, int max) => TextCore(name, max, required: false);

        private string? TextCore(string name, int max, bool required)
        {
            if (!TryGet(name, required, out var v)) return null;
            if (v.ValueKind != JsonValueKind.String) { Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be a string."); return null; }
            var s = v.GetString()!;
            if (s.Length == 0 && required) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must not be empty.");
            if (s.Length > max) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' is longer than {max} characters.");
            return s;
        }

        public Guid Guid(string name) => GuidCore(name, required: true) ?? default;
        public Guid? OptionalGuid(string name) => GuidCore(name, required: false);

        private Guid? GuidCore(string name, bool required)
        {
            if (!TryGet(name, required, out var v)) return null;
            if (v.ValueKind == JsonValueKind.String && System.Guid.TryParse(v.GetString(), out var g)) return g;
            Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be a UUID.");
            return null;
        }

        public long Long(string name, long min, long max) => LongCore(name, min, max, required: true) ?? 0;
        public long? OptionalLong(string name, long min, long max) => LongCore(name, min, max, required: false);

        private long? LongCore(string name, long min, long max, bool required)
        {
            if (!TryGet(name, required, out var v)) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) { Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be an integer."); return null; }
            if (n < min || n > max) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' is {n}; it must be between {min} and {max}.");
            return n;
        }

        public double? OptionalDouble(string name, double min, double max)
        {
            if (!TryGet(name, required: false, out var v)) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var n) || !double.IsFinite(n)) { Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be a number."); return null; }
            if (n < min || n > max) Fail(DeadLetterReasons.InvalidField, string.Create(CultureInfo.InvariantCulture, $"'{prefix}{name}' is {n}; it must be between {min} and {max}."));
            return n;
        }

        public bool Bool(string name)
        {
            if (!TryGet(name, required: true, out var v)) return false;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be true or false.");
            return false;
        }

        public DateTimeOffset Time(string name)
        {
            if (!TryGet(name, required: true, out var v)) return default;
            if (v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t)) return t.ToUniversalTime();
            Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be an ISO 8601 time.");
            return default;
        }
    }
}
