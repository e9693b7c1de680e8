using Fleet.Mqtt.Formatter;

namespace Fleet.Mqtt.Client;

/// <summary>Connection settings; build with <see cref="MqttClientOptionsBuilder"/>.</summary>
public sealed record MqttClientOptions
{
    /// <summary>Largest packet MQTT 3.1.1 can express (fixed header included): 268,435,460 bytes.</summary>
    public const int ProtocolMaximumPacketSize = MqttProtocol.MaxPacketSize;

    /// <summary>Broker host name or IP address.</summary>
    public required string Host { get; init; }

    /// <summary>Broker port; null means 1883, or 8883 with TLS.</summary>
    public int? Port { get; init; }

    /// <summary>Client identifier; the builder generates a random one when none is given.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>
    /// True (default): the broker discards any previous session and QoS 1 publishes still waiting for PUBACK fail when the
    /// connection drops. False: the broker keeps subscriptions and queued messages, and unacknowledged QoS 1 publishes are
    /// kept and re-sent (DUP=1, same packet id) on the next <see cref="IMqttClient.ConnectAsync"/>.
    /// </summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>User name, or null.</summary>
    public string? Username { get; init; }

    /// <summary>Password bytes, or null. Requires <see cref="Username"/>.</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>
    /// Keep-alive period (whole seconds, at most 65,535; zero disables). The client sends PINGREQ when the connection is idle
    /// for half of it and declares the connection dead when nothing (not even PINGRESP) arrives from the broker for one and
    /// a half periods, the same grace the broker applies to the client.
    /// </summary>
    public TimeSpan KeepAlivePeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long to wait for the broker when connecting (TCP, TLS and CONNACK), subscribing, unsubscribing, pinging and
    /// flushing on disconnect. QoS 1 publishes are not bounded by it: they complete on PUBACK (use the cancellation token).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Last Will: published by the broker if the connection ends without DISCONNECT. QoS 0 or 1.</summary>
    public MqttApplicationMessage? WillMessage { get; init; }

    /// <summary>TLS settings; null for plain TCP.</summary>
    public MqttClientTlsOptions? TlsOptions { get; init; }

    /// <summary>Largest packet accepted from the broker; a larger one is a protocol violation and closes the connection.</summary>
    public int MaximumPacketSize { get; init; } = ProtocolMaximumPacketSize;

    /// <summary>
    /// How many QoS 1 publishes may wait for PUBACK at once. Further <see cref="IMqttClient.PublishAsync"/> calls wait
    /// asynchronously (in call order) for a free slot.
    /// </summary>
    public int MaxInflightPublishes { get; init; } = 100;

    /// <summary>
    /// Socket read buffer and minimum write buffer of a connection (default 64 KiB, for a busy consumer such as the API).
    /// A process holding thousands of mostly idle connections, like the agent simulator, saves memory with a few KiB;
    /// packets larger than the buffer still work (the pipe grows).
    /// </summary>
    public int BufferSize { get; init; } = 64 * 1024;

    internal bool UseTls => TlsOptions is { UseTls: true };

    internal int EffectivePort => Port ?? (UseTls ? 8883 : 1883);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("A broker host is required (WithTcpServer).");
        }

        if (EffectivePort is < 1 or > 65535)
        {
            throw new ArgumentException($"Port {EffectivePort} is out of range.");
        }

        if (KeepAlivePeriod < TimeSpan.Zero || KeepAlivePeriod.TotalSeconds > ushort.MaxValue)
        {
            throw new ArgumentException("The keep-alive period must be between 0 and 65,535 seconds.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The timeout must be positive.");
        }

        if (Password is not null && Username is null)
        {
            throw new ArgumentException("MQTT 3.1.1 does not allow a password without a user name.");
        }

        if (MaximumPacketSize is < 16 or > ProtocolMaximumPacketSize)
        {
            throw new ArgumentException($"The maximum packet size must be between 16 and {ProtocolMaximumPacketSize}.");
        }

        if (BufferSize is < 1024 or > 1024 * 1024)
        {
            throw new ArgumentException("The buffer size must be between 1 KiB and 1 MiB.");
        }

        if (MaxInflightPublishes is < 1 or > 65_000)
        {
            throw new ArgumentException("MaxInflightPublishes must be between 1 and 65,000.");
        }

        if (WillMessage is { } will)
        {
            if (!MqttTopic.IsValidTopicName(will.Topic))
            {
                throw new ArgumentException($"Will topic \"{will.Topic}\" is empty or contains a wildcard.");
            }

            if (will.QualityOfServiceLevel > MqttQualityOfServiceLevel.ExactlyOnce || will.Payload.Length > ushort.MaxValue)
            {
                throw new ArgumentException("The will QoS must be 0-2 and its payload at most 65,535 bytes.");
            }
        }
    }
}
