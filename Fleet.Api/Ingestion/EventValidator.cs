using System.Globalization;
using System.Text.Json;
using Fleet.Contracts.Mqtt;
using Fleet.Domain.Hygiene;

namespace Fleet.Api.Ingestion;

/// <summary>
/// An event that passed every check of the contract. Telemetry (nearly all traffic) arrives already read into typed
/// values; the other types keep their data as JSON for the services that apply them, in a document this event owns,
/// so dispose it once the event has been applied.
/// </summary>
public sealed class ValidEvent : IDisposable
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required long Seq { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset At { get; init; }
    public required ReadOnlyMemory<byte> DataBytes { get; init; }
    public BatteryReadingData? Battery { get; init; }
    public DeviceInfoReadingData? DeviceInfo { get; init; }
    public JsonDocument? Document { get; init; }

    /// <summary>The data as JSON, for the types applied through the services (not telemetry).</summary>
    public JsonElement Data => Document?.RootElement ?? throw new InvalidOperationException($"A {Type} event is applied from its typed values.");

    public string DataJson => System.Text.Encoding.UTF8.GetString(DataBytes.Span);

    public void Dispose() => Document?.Dispose();
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
        try
        {
            return ValidateCore(topicHeadsetId, payload, now);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // The readers only decode strings when asked; bytes that are not UTF-8 surface here.
            return Reject(DeadLetterReasons.InvalidField, $"The payload holds text that is not valid UTF-8 JSON: {e.Message}");
        }
    }

    private static (ValidEvent? Event, Rejection? Rejection) ValidateCore(string topicHeadsetId, ReadOnlyMemory<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > EventEnvelope.MaxPayloadBytes)
            return Reject(DeadLetterReasons.PayloadTooLarge, $"The payload is {payload.Length} bytes; the limit is {EventEnvelope.MaxPayloadBytes}.");
        var (read, problem) = EnvelopeReader.Read(payload.Span, topicHeadsetId, out var headset);
        if (problem is not null) return (null, problem);
        var e = read!.Value;
        if (headset != topicHeadsetId)
            return Reject(DeadLetterReasons.TopicMismatch, $"The envelope says headset '{headset}' but it was published on {topicHeadsetId}'s topic.");
        var (valid, rejection) = ValidateEvent(topicHeadsetId, e, payload, now);
        return (valid, rejection is null ? null : rejection with { Seq = e.Seq });
    }

    private static (ValidEvent? Event, Rejection? Rejection) ValidateEvent(string topicHeadsetId, Envelope e, ReadOnlyMemory<byte> payload, DateTimeOffset now)
    {
        if (!EventTypes.All.Contains(e.Type)) return Reject(DeadLetterReasons.UnknownType, $"'{e.Type}' is not an event type of contract v1.");
        if (now - e.At > MaxAge) return Reject(DeadLetterReasons.TooOld, $"'at' ({e.At:O}) is more than {MaxAge.TotalHours:0} h old.");
        if (e.At - now > HygienePolicy.FutureSkew) return Reject(DeadLetterReasons.InFuture, $"'at' ({e.At:O}) is more than {HygienePolicy.FutureSkew.TotalMinutes:0} min in the future.");

        var data = payload.Slice(e.DataStart, e.DataLength);
        Rejection? problem;
        BatteryReadingData? battery = null;
        DeviceInfoReadingData? device = null;
        JsonDocument? document = null;
        switch (e.Type)
        {
            case EventTypes.Battery:
                problem = TelemetryReader.Battery(data.Span, out var b);
                battery = b;
                break;
            case EventTypes.Heartbeat:
                problem = TelemetryReader.Heartbeat(data.Span);
                break;
            case EventTypes.DeviceInfo:
                problem = TelemetryReader.DeviceInfo(data.Span, out device);
                break;
            default:
                document = JsonDocument.Parse(data);
                problem = DataProblem(e.Type, new Fields(document.RootElement, "data."));
                break;
        }
        if (problem is not null)
        {
            document?.Dispose();
            return (null, problem);
        }
        return (new ValidEvent
        {
            Id = e.Id, HeadsetId = topicHeadsetId, Seq = e.Seq, Type = e.Type, At = e.At, DataBytes = data,
            Battery = battery, DeviceInfo = device, Document = document,
        }, null);
    }

    /// <summary>The shape of each event type's data; optional fields may be absent or null but never of the wrong type.</summary>
    private static Rejection? DataProblem(string type, Fields d)
    {
        switch (type)
        {
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
                d.OptionalGuid("sessionId"); var fms = d.OptionalLong("fms", 0, 20); var note = d.OptionalText("note", MaxText, freeText: true);
                if (d.Problem is null && fms is null && note is null) return new(DeadLetterReasons.MissingField, "A comfort report needs 'data.fms', 'data.note' or both.");
                break;
            case EventTypes.CommandResult:
                d.Guid("commandId"); d.Bool("ok"); d.OptionalText("detail", MaxText, freeText: true);
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

        public string? Text(string name, int max) => TextCore(name, max, required: true, freeText: false);
        public string? OptionalText(string name, int max, bool freeText = false) => TextCore(name, max, required: false, freeText);

        private string? TextCore(string name, int max, bool required, bool freeText)
        {
            if (!TryGet(name, required, out var v)) return null;
            if (v.ValueKind != JsonValueKind.String) { Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must be a string."); return null; }
            var s = v.GetString()!;
            if (s.Length == 0 && required) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' must not be empty.");
            if (s.Length > max) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' is longer than {max} characters.");
            if (Fleet.Domain.Input.TextRules.Problem(s, freeText) is { } problem) Fail(DeadLetterReasons.InvalidField, $"'{prefix}{name}' {problem}");
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
    }
}
