namespace Fleet.Mqtt.Client;

/// <summary>Reconnect behaviour of <see cref="ResilientMqttClient"/>.</summary>
public sealed record ResilientMqttClientOptions
{
    /// <summary>Median delay before the first reconnect attempt; later attempts back off exponentially with jitter.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long publish, subscribe and unsubscribe calls made while disconnected wait for the connection to come back
    /// before failing with <see cref="MqttCommunicationTimedOutException"/>.
    /// </summary>
    public TimeSpan MaxWaitForConnection { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Arguments of <see cref="ResilientMqttClient.ConnectingFailedAsync"/>.</summary>
/// <param name="Exception">Why the attempt failed.</param>
/// <param name="AttemptNumber">Failed attempts since the connection was lost, starting at 0.</param>
/// <param name="RetryDelay">How long until the next attempt.</param>
public sealed record ConnectingFailedEventArgs(Exception Exception, int AttemptNumber, TimeSpan RetryDelay);
