using Fleet.Api.Broker;
using Fleet.Contracts.Mqtt;

namespace Fleet.Api.Ingestion;

/// <summary>
/// A broker message after the checks that need no database: its topic split, and for an event the envelope
/// validated against the contract. Parsing happens on its own thread ahead of the writer, so the two cores share
/// the work; the writer then only applies and stores. Disposing releases the parsed JSON.
/// </summary>
public sealed class ParsedMessage : IDisposable
{
    private ParsedMessage(IncomingMessage message) => Message = message;

    public IncomingMessage Message { get; }
    public string? HeadsetId { get; private init; }
    public string? Leaf { get; private init; }
    public ValidEvent? Event { get; private init; }

    /// <summary>Set when the message breaks the contract whatever the database says.</summary>
    public Rejection? Rejection { get; private init; }

    public bool IsStatus => Leaf == "status" && Rejection is null;

    public static ParsedMessage Parse(IncomingMessage message, Topics topics)
    {
        if (!topics.TryParse(message.Topic, out var headsetId, out var leaf) || leaf is not ("events" or "status"))
            return new(message) { Rejection = new(DeadLetterReasons.BadTopic, $"'{message.Topic}' is not a headset events or status topic under {topics.Prefix}.") };
        if (leaf == "status") return new(message) { HeadsetId = headsetId, Leaf = leaf };
        var (e, rejection) = EventValidator.Validate(headsetId, message.Payload, message.ReceivedAt);
        return new(message) { HeadsetId = headsetId, Leaf = leaf, Event = e, Rejection = rejection };
    }

    public static ParsedMessage Failed(IncomingMessage message, Rejection rejection) => new(message) { Rejection = rejection };

    public void Dispose() => Event?.Dispose();
}
