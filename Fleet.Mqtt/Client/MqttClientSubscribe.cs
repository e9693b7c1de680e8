namespace Fleet.Mqtt.Client;

/// <summary>What to subscribe to in one SUBSCRIBE packet.</summary>
/// <param name="TopicFilters">At least one filter.</param>
public sealed record MqttClientSubscribeOptions(IReadOnlyList<MqttTopicFilter> TopicFilters);

/// <summary>Builder for <see cref="MqttClientSubscribeOptions"/>.</summary>
public sealed class MqttClientSubscribeOptionsBuilder
{
    private readonly List<MqttTopicFilter> _filters = [];

    /// <summary>Adds a topic filter (wildcards and <c>$share/group/filter</c> allowed) with a maximum QoS.</summary>
    public MqttClientSubscribeOptionsBuilder WithTopicFilter(string topic, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce) =>
        WithTopicFilter(new MqttTopicFilter(topic, qos));

    /// <summary>Adds a topic filter.</summary>
    public MqttClientSubscribeOptionsBuilder WithTopicFilter(MqttTopicFilter filter)
    {
        _filters.Add(filter);
        return this;
    }

    /// <summary>Builds the options.</summary>
    public MqttClientSubscribeOptions Build() => new(_filters.ToArray());
}

/// <summary>SUBACK return code for one filter.</summary>
public enum MqttClientSubscribeResultCode
{
    /// <summary>Subscribed; messages arrive with at most QoS 0.</summary>
    GrantedQoS0 = 0,

    /// <summary>Subscribed; messages arrive with at most QoS 1.</summary>
    GrantedQoS1 = 1,

    /// <summary>Subscribed; messages arrive with at most QoS 2.</summary>
    GrantedQoS2 = 2,

    /// <summary>0x80: the broker refused this filter (for example not authorised by its ACL).</summary>
    UnspecifiedError = 0x80,
}

/// <summary>Outcome for one filter of a subscription.</summary>
/// <param name="TopicFilter">The requested filter.</param>
/// <param name="ResultCode">What the broker answered.</param>
public sealed record MqttClientSubscribeResultItem(MqttTopicFilter TopicFilter, MqttClientSubscribeResultCode ResultCode)
{
    /// <summary>False when the broker refused the filter (0x80).</summary>
    public bool IsSuccess => ResultCode != MqttClientSubscribeResultCode.UnspecifiedError;
}

/// <summary>Result of <see cref="IMqttClient.SubscribeAsync"/>, one item per requested filter in request order.</summary>
/// <param name="Items">Per-filter outcomes.</param>
public sealed record MqttClientSubscribeResult(IReadOnlyList<MqttClientSubscribeResultItem> Items);

/// <summary>What to unsubscribe from in one UNSUBSCRIBE packet.</summary>
/// <param name="TopicFilters">At least one filter, spelled exactly as subscribed.</param>
public sealed record MqttClientUnsubscribeOptions(IReadOnlyList<string> TopicFilters);

/// <summary>Builder for <see cref="MqttClientUnsubscribeOptions"/>.</summary>
public sealed class MqttClientUnsubscribeOptionsBuilder
{
    private readonly List<string> _filters = [];

    /// <summary>Adds a topic filter to remove.</summary>
    public MqttClientUnsubscribeOptionsBuilder WithTopicFilter(string topic)
    {
        _filters.Add(topic);
        return this;
    }

    /// <summary>Builds the options.</summary>
    public MqttClientUnsubscribeOptions Build() => new(_filters.ToArray());
}

/// <summary>Result of <see cref="IMqttClient.UnsubscribeAsync"/>. MQTT 3.1.1 UNSUBACK carries no per-filter codes.</summary>
/// <param name="TopicFilters">The filters the broker acknowledged removing.</param>
public sealed record MqttClientUnsubscribeResult(IReadOnlyList<string> TopicFilters);
