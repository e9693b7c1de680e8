using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Internal;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Client;

public sealed partial class MqttClient
{
    /// <inheritdoc />
    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationMessage);
        ValidateOutgoing(applicationMessage);
        return applicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce
            ? PublishAtMostOnceAsync(applicationMessage, cancellationToken)
            : PublishAtLeastOnceAsync(applicationMessage, cancellationToken);
    }

    private async Task<MqttClientPublishResult> PublishAtMostOnceAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = Volatile.Read(ref _connection) ?? throw new MqttClientNotConnectedException();
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var packet = new MqttPublishPacket(message.Topic, message.Payload, MqttQualityOfServiceLevel.AtMostOnce, message.Retain);
        if (!connection.TryEnqueue(packet, written))
        {
            throw new MqttClientNotConnectedException();
        }

        await written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new MqttClientPublishResult(null, MqttClientPublishReasonCode.Success);
    }

    private async Task<MqttClientPublishResult> PublishAtLeastOnceAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        SemaphoreSlim inflight;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null)
            {
                throw new MqttClientNotConnectedException();
            }

            inflight = _inflight!;
        }

        await inflight.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingPublish pending;
        lock (_sync)
        {
            var connection = _connection;
            if (_disposed || (connection is null && _options!.CleanSession))
            {
                inflight.Release();
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new MqttClientNotConnectedException();
            }

            var packetId = AllocatePacketId();
            var packet = new MqttPublishPacket(message.Topic, message.Payload, MqttQualityOfServiceLevel.AtLeastOnce, message.Retain, Dup: false, packetId);
            pending = new PendingPublish(packet, ++_publishSequence);
            _pendingPublishes.Add(packetId, pending);

            // Without a connection (persistent session, lost while we waited for a slot) it goes out with the re-sends on reconnect.
            if (connection is not null)
            {
                pending.Sent = true;
                connection.TryEnqueue(packet);
            }
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CompletePublish(ushort packetId)
    {
        PendingPublish? pending;
        lock (_sync)
        {
            if (!_pendingPublishes.Remove(packetId, out pending))
            {
                return; // A late or duplicate PUBACK for something already settled.
            }

            _inflight!.Release();
        }

        pending.Completion.TrySetResult(new MqttClientPublishResult(packetId, MqttClientPublishReasonCode.Success));
    }

    private static void ValidateOutgoing(MqttApplicationMessage message)
    {
        switch (message.QualityOfServiceLevel)
        {
            case MqttQualityOfServiceLevel.ExactlyOnce:
                throw new NotSupportedException("QoS 2 publishing is not supported; use QoS 1 and deduplicate by message id.");
            case > MqttQualityOfServiceLevel.ExactlyOnce:
                throw new ArgumentOutOfRangeException(nameof(message), $"QoS {(int)message.QualityOfServiceLevel} does not exist.");
        }

        if (!MqttTopic.IsValidTopicName(message.Topic))
        {
            throw new ArgumentException($"Topic name \"{message.Topic}\" is empty or contains a wildcard (+ or #).", nameof(message));
        }

        var topicBytes = MqttUtf8.GetByteCountForSending(message.Topic, nameof(message));
        if (MqttPacketWriter.GetPublishSize(topicBytes, message.QualityOfServiceLevel, message.Payload.Length) > MqttProtocol.MaxPacketSize)
        {
            throw new ArgumentException($"A {message.Payload.Length}-byte payload exceeds the MQTT maximum packet size.", nameof(message));
        }
    }
}
