using System.Text;

namespace Fleet.Mqtt.Client;

/// <summary>Fluent builder for <see cref="MqttClientOptions"/>, shaped like MQTTnet's.</summary>
public sealed class MqttClientOptionsBuilder
{
    private MqttClientOptions _options = new() { Host = "" };

    /// <summary>Sets the broker address; port null means 1883 (8883 with TLS).</summary>
    public MqttClientOptionsBuilder WithTcpServer(string host, int? port = null)
    {
        _options = _options with { Host = host, Port = port };
        return this;
    }

    /// <summary>Sets the client identifier (a random one is used otherwise).</summary>
    public MqttClientOptionsBuilder WithClientId(string clientId)
    {
        _options = _options with { ClientId = clientId };
        return this;
    }

    /// <summary>Sets user name and password (UTF-8 encoded).</summary>
    public MqttClientOptionsBuilder WithCredentials(string username, string? password = null) =>
        WithCredentials(username, password is null ? null : Encoding.UTF8.GetBytes(password));

    /// <summary>Sets user name and binary password.</summary>
    public MqttClientOptionsBuilder WithCredentials(string username, byte[]? password)
    {
        // Explicit: a null byte[] would otherwise convert to an empty, non-null password.
        ReadOnlyMemory<byte>? bytes = null;
        if (password is not null)
        {
            bytes = password;
        }

        _options = _options with { Username = username, Password = bytes };
        return this;
    }

    /// <summary>Chooses a clean (default) or persistent session; see <see cref="MqttClientOptions.CleanSession"/>.</summary>
    public MqttClientOptionsBuilder WithCleanSession(bool cleanSession = true)
    {
        _options = _options with { CleanSession = cleanSession };
        return this;
    }

    /// <summary>Sets the keep-alive period (whole seconds; zero disables).</summary>
    public MqttClientOptionsBuilder WithKeepAlivePeriod(TimeSpan period)
    {
        _options = _options with { KeepAlivePeriod = period };
        return this;
    }

    /// <summary>Sets the Last Will message the broker publishes if this client vanishes without DISCONNECT.</summary>
    public MqttClientOptionsBuilder WithWillMessage(MqttApplicationMessage willMessage)
    {
        _options = _options with { WillMessage = willMessage };
        return this;
    }

    /// <summary>Enables TLS, configured by <paramref name="configure"/>.</summary>
    public MqttClientOptionsBuilder WithTlsOptions(Action<MqttClientTlsOptionsBuilder> configure)
    {
        var builder = new MqttClientTlsOptionsBuilder();
        configure(builder);
        return WithTlsOptions(builder.Build());
    }

    /// <summary>Enables TLS with the given settings.</summary>
    public MqttClientOptionsBuilder WithTlsOptions(MqttClientTlsOptions tlsOptions)
    {
        _options = _options with { TlsOptions = tlsOptions };
        return this;
    }

    /// <summary>Sets the largest packet accepted from the broker.</summary>
    public MqttClientOptionsBuilder WithMaximumPacketSize(int maximumPacketSize)
    {
        _options = _options with { MaximumPacketSize = maximumPacketSize };
        return this;
    }

    /// <summary>Sets how many QoS 1 publishes may await PUBACK at once.</summary>
    public MqttClientOptionsBuilder WithMaxInflightPublishes(int maxInflightPublishes)
    {
        _options = _options with { MaxInflightPublishes = maxInflightPublishes };
        return this;
    }

    /// <summary>Sets the connection's buffer size; see <see cref="MqttClientOptions.BufferSize"/>.</summary>
    public MqttClientOptionsBuilder WithBufferSize(int bufferSize)
    {
        _options = _options with { BufferSize = bufferSize };
        return this;
    }

    /// <summary>Sets the timeout for waiting on the broker; see <see cref="MqttClientOptions.Timeout"/>.</summary>
    public MqttClientOptionsBuilder WithTimeout(TimeSpan timeout)
    {
        _options = _options with { Timeout = timeout };
        return this;
    }

    /// <summary>Builds and validates the options.</summary>
    /// <exception cref="ArgumentException">The settings are incomplete or out of range.</exception>
    public MqttClientOptions Build()
    {
        var options = _options.ClientId.Length == 0 ? _options with { ClientId = "fleet-" + Guid.NewGuid().ToString("N") } : _options;
        options.Validate();
        return options;
    }
}
