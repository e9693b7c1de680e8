namespace Fleet.Mqtt.Client;

/// <summary>CONNACK return codes of MQTT 3.1.1.</summary>
public enum MqttClientConnectResultCode
{
    /// <summary>0: connection accepted.</summary>
    Success = 0,

    /// <summary>1: the broker does not support MQTT 3.1.1.</summary>
    UnacceptableProtocolVersion = 1,

    /// <summary>2: the client identifier is not allowed.</summary>
    IdentifierRejected = 2,

    /// <summary>3: the MQTT service is unavailable.</summary>
    ServerUnavailable = 3,

    /// <summary>4: malformed user name or password.</summary>
    BadUserNameOrPassword = 4,

    /// <summary>5: not authorised (Mosquitto answers this for a wrong password too).</summary>
    NotAuthorized = 5,
}

/// <summary>Outcome of a connection attempt.</summary>
/// <param name="ResultCode">The CONNACK return code.</param>
/// <param name="IsSessionPresent">Whether the broker resumed a stored session (only with clean session off).</param>
public sealed record MqttClientConnectResult(MqttClientConnectResultCode ResultCode, bool IsSessionPresent);

/// <summary>The broker refused the connection; <see cref="ResultCode"/> says why.</summary>
/// <param name="result">The refusal.</param>
public sealed class MqttConnectingFailedException(MqttClientConnectResult result)
    : MqttCommunicationException($"The broker refused the connection: {result.ResultCode} ({(int)result.ResultCode}).")
{
    /// <summary>The full result.</summary>
    public MqttClientConnectResult Result { get; } = result;

    /// <summary>The CONNACK return code.</summary>
    public MqttClientConnectResultCode ResultCode => Result.ResultCode;
}
