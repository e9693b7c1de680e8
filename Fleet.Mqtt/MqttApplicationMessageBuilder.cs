using System.Text;

namespace Fleet.Mqtt;

/// <summary>Fluent builder for <see cref="MqttApplicationMessage"/>, shaped like MQTTnet's.</summary>
public sealed class MqttApplicationMessageBuilder
{
    private string? _topic;
    private ReadOnlyMemory<byte> _payload;
    private MqttQualityOfServiceLevel _qos;
    private bool _retain;

    /// <summary>Sets the topic name.</summary>
    public MqttApplicationMessageBuilder WithTopic(string topic)
    {
        _topic = topic;
        return this;
    }

    /// <summary>Sets the payload bytes (not copied).</summary>
    public MqttApplicationMessageBuilder WithPayload(ReadOnlyMemory<byte> payload)
    {
        _payload = payload;
        return this;
    }

    /// <summary>Sets the payload bytes (not copied).</summary>
    public MqttApplicationMessageBuilder WithPayload(byte[] payload)
    {
        _payload = payload;
        return this;
    }

    /// <summary>Sets the payload to the UTF-8 encoding of <paramref name="payload"/>.</summary>
    public MqttApplicationMessageBuilder WithPayload(string payload)
    {
        _payload = Encoding.UTF8.GetBytes(payload);
        return this;
    }

    /// <summary>Sets the quality of service.</summary>
    public MqttApplicationMessageBuilder WithQualityOfServiceLevel(MqttQualityOfServiceLevel qos)
    {
        _qos = qos;
        return this;
    }

    /// <summary>Sets the retain flag.</summary>
    public MqttApplicationMessageBuilder WithRetainFlag(bool retain = true)
    {
        _retain = retain;
        return this;
    }

    /// <summary>Builds the message.</summary>
    /// <exception cref="InvalidOperationException">No topic was set.</exception>
    public MqttApplicationMessage Build() => new()
    {
        Topic = _topic ?? throw new InvalidOperationException("A topic is required."),
        Payload = _payload,
        QualityOfServiceLevel = _qos,
        Retain = _retain,
    };
}
