namespace Fleet.Mqtt.Client;

/// <summary>An MQTT 3.1.1 client connection, shaped like MQTTnet's <c>IMqttClient</c>.</summary>
public interface IMqttClient : IDisposable, IAsyncDisposable
{
    /// <summary>
    /// Raised for each received message, strictly in arrival order and one at a time, on a dedicated dispatcher (the
    /// connection keeps reading while a handler runs). See <see cref="MqttApplicationMessageReceivedEventArgs"/> for
    /// acknowledgement and back-pressure.
    /// </summary>
    event Func<MqttApplicationMessageReceivedEventArgs, Task>? ApplicationMessageReceivedAsync;

    /// <summary>Raised after a connection is established (awaited by <see cref="ConnectAsync"/>).</summary>
    event Func<MqttClientConnectedEventArgs, Task>? ConnectedAsync;

    /// <summary>Raised when an established connection ends, whatever the reason.</summary>
    event Func<MqttClientDisconnectedEventArgs, Task>? DisconnectedAsync;

    /// <summary>True while a connection is established.</summary>
    bool IsConnected { get; }

    /// <summary>The options of the last <see cref="ConnectAsync"/>, or null.</summary>
    MqttClientOptions? Options { get; }

    /// <summary>
    /// Opens TCP (and TLS), sends CONNECT and waits for CONNACK within <see cref="MqttClientOptions.Timeout"/>.
    /// With a persistent session, QoS 1 publishes that were still waiting for PUBACK are re-sent first (DUP=1, same packet id).
    /// </summary>
    /// <exception cref="MqttConnectingFailedException">The broker refused (see its <c>ResultCode</c>).</exception>
    /// <exception cref="MqttCommunicationTimedOutException">No CONNACK in time.</exception>
    /// <exception cref="MqttCommunicationException">Network or TLS failure.</exception>
    Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default);

    /// <summary>Sends DISCONNECT (so the broker discards the Will) and closes the connection. Does nothing when not connected.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a message. QoS 0 completes once written to the socket; QoS 1 completes when the broker's PUBACK arrives.
    /// At most <see cref="MqttClientOptions.MaxInflightPublishes"/> QoS 1 publishes await PUBACK at once; further calls
    /// wait for a slot. The payload memory must not change until the task completes. Cancelling only stops waiting once
    /// the message is queued: it may still be delivered.
    /// </summary>
    /// <exception cref="NotSupportedException">QoS 2.</exception>
    /// <exception cref="ArgumentException">Invalid topic name or oversized message.</exception>
    /// <exception cref="MqttClientNotConnectedException">Not connected (a persistent-session QoS 1 publish already queued waits for the next connection instead).</exception>
    /// <exception cref="MqttClientDisconnectedException">The connection ended before the publish completed (clean session).</exception>
    Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken = default);

    /// <summary>Subscribes and returns the broker's answer per filter (a refused filter has result code 0x80, no exception).</summary>
    /// <exception cref="NotSupportedException">A filter asks for QoS 2.</exception>
    Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken = default);

    /// <summary>Unsubscribes and waits for UNSUBACK.</summary>
    Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken = default);

    /// <summary>Sends PINGREQ and waits for PINGRESP.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
