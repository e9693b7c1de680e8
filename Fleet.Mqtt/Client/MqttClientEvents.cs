namespace Fleet.Mqtt.Client;

/// <summary>Arguments of <see cref="IMqttClient.ConnectedAsync"/>.</summary>
/// <param name="ConnectResult">The accepted CONNACK.</param>
public sealed record MqttClientConnectedEventArgs(MqttClientConnectResult ConnectResult);

/// <summary>Why a connection ended.</summary>
public enum MqttClientDisconnectReason
{
    /// <summary>The application called <see cref="IMqttClient.DisconnectAsync"/>; DISCONNECT was sent, so no Will.</summary>
    NormalDisconnection,

    /// <summary>Nothing arrived from the broker for one and a half keep-alive periods.</summary>
    KeepAliveTimeout,

    /// <summary>The broker closed the TCP connection.</summary>
    ConnectionClosedByServer,

    /// <summary>A socket or TLS error.</summary>
    TransportError,

    /// <summary>The broker sent a packet that breaks MQTT 3.1.1.</summary>
    ProtocolViolation,

    /// <summary>The client was disposed (no DISCONNECT, so the broker publishes the Will). No event is raised for it.</summary>
    ClientDisposed,
}

/// <summary>Arguments of <see cref="IMqttClient.DisconnectedAsync"/>.</summary>
/// <param name="ClientWasConnected">Always true: the event is raised only for connections that were established.</param>
/// <param name="Reason">Why the connection ended.</param>
/// <param name="Exception">The error behind it, if any.</param>
public sealed record MqttClientDisconnectedEventArgs(bool ClientWasConnected, MqttClientDisconnectReason Reason, Exception? Exception);
