namespace Fleet.Mqtt;

/// <summary>A subscription: a topic filter (may contain <c>+</c>, <c>#</c>, or be <c>$share/group/filter</c>) and the maximum QoS requested.</summary>
/// <param name="Topic">The topic filter.</param>
/// <param name="QualityOfServiceLevel">The maximum QoS the broker should deliver with.</param>
public sealed record MqttTopicFilter(string Topic, MqttQualityOfServiceLevel QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce);
