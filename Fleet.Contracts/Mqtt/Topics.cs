namespace Fleet.Contracts.Mqtt;

/// <summary>The topic tree of mqtt-contract.md under a configurable prefix (default <c>fleet/v1</c>).</summary>
public sealed class Topics(string prefix = Topics.DefaultPrefix)
{
    public const string DefaultPrefix = "fleet/v1";
    public const string SharedGroup = "fleet-api";

    public string Prefix { get; } = prefix.TrimEnd('/');

    public string Events(string headsetId) => $"{Prefix}/headsets/{headsetId}/events";
    public string Status(string headsetId) => $"{Prefix}/headsets/{headsetId}/status";
    public string State(string headsetId) => $"{Prefix}/headsets/{headsetId}/state";
    public string Commands(string headsetId) => $"{Prefix}/headsets/{headsetId}/commands";

    /// <summary>
    /// The only MQTT client id a headset's broker account may connect with (the broker binds it at enrollment), so no
    /// other account can take over the headset's connection or session with it.
    /// </summary>
    public static string HeadsetClientId(string headsetId) => "fleet-agent-" + headsetId;

    /// <summary>API -> one agent: which of its events are committed, so it may delete them from its outbox.</summary>
    public string Confirmed(string headsetId) => $"{Prefix}/headsets/{headsetId}/confirmed";

    public string AllEvents => $"{Prefix}/headsets/+/events";
    public string AllStatus => $"{Prefix}/headsets/+/status";
    public string SharedEvents(string group = SharedGroup) => $"$share/{group}/{AllEvents}";
    public string SharedStatus(string group = SharedGroup) => $"$share/{group}/{AllStatus}";

    /// <summary>Splits <c>{prefix}/headsets/{id}/{leaf}</c>; false for anything else.</summary>
    public bool TryParse(string topic, out string headsetId, out string leaf)
    {
        headsetId = leaf = "";
        var start = Prefix + "/headsets/";
        if (!topic.StartsWith(start, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(start.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/')) return false;
        headsetId = rest[..slash].ToString();
        leaf = rest[(slash + 1)..].ToString();
        return leaf.Length > 0;
    }
}
