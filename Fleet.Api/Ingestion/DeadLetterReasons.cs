namespace Fleet.Api.Ingestion;

/// <summary>Why a message from an agent was not applied (mqtt-contract.md, "Bad input"). Stable codes.</summary>
public static class DeadLetterReasons
{
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotJson = "not_json";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
    public const string UnknownType = "unknown_type";
    public const string TopicMismatch = "topic_mismatch";
    public const string BadTopic = "bad_topic";
    public const string UnknownHeadset = "unknown_headset";
    public const string RetiredHeadset = "retired_headset";
    public const string TooOld = "too_old";
    public const string InFuture = "in_future";

    /// <summary>Well-formed, but a rule refused it (e.g. a UV-C cycle when no UV-C product is in the catalogue).</summary>
    public const string Rejected = "rejected";

    /// <summary>Applying it failed unexpectedly twice; kept so that one message can never stop the stream.</summary>
    public const string ProcessingFailed = "processing_failed";
}

/// <summary>A message that could not be applied, and why.</summary>
/// <param name="Seq">The event's seq, when the envelope was read and names the topic's own headset: the agent's event is
/// then handled (dead-lettered) and confirmed like a stored one, so it is not published again and again.</param>
public sealed record Rejection(string Reason, string Detail, long? Seq = null);
