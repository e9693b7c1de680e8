namespace Fleet.Mqtt;

/// <summary>Base type of the errors raised by talking to a broker.</summary>
public class MqttCommunicationException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public MqttCommunicationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public MqttCommunicationException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The operation needs a connection and the client is not connected.</summary>
public sealed class MqttClientNotConnectedException() : MqttCommunicationException("The MQTT client is not connected.");

/// <summary>The connection ended while the operation was waiting for the broker.</summary>
/// <param name="message">What was interrupted.</param>
/// <param name="innerException">Why the connection ended, if known.</param>
public sealed class MqttClientDisconnectedException(string message, Exception? innerException = null)
    : MqttCommunicationException(message, innerException);

/// <summary>The broker did not answer within <c>MqttClientOptions.Timeout</c>.</summary>
/// <param name="message">What timed out.</param>
public sealed class MqttCommunicationTimedOutException(string message) : MqttCommunicationException(message);
