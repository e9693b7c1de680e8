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
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingPublish(message);
        bool waiting;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _connection ?? throw new MqttClientNotConnectedException();
            pending.Sequence = ++_publishSequence;

            // FIFO window handled under the lock: publishes leave in call order, even after waiting for a slot.
            waiting = _inflightCount >= _maxInflight || _waitingForSlot.Count > 0;
            if (waiting)
            {
                _waitingForSlot.Enqueue(pending);
            }
            else
            {
                Activate(pending, connection);
            }
        }

        try
        {
            return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (waiting && cancellationToken.IsCancellationRequested)
        {
            CancelWaiting(pending);
            throw;
        }
    }

    /// <summary>Gives a publish a slot and a packet id, and sends it if connected (otherwise the re-send on reconnect does). Under the lock.</summary>
    private void Activate(PendingPublish pending, MqttConnection? connection)
    {
        _inflightCount++;
        var packetId = AllocatePacketId();
        var message = pending.Message;
        pending.Packet = new MqttPublishPacket(message.Topic, message.Payload, MqttQualityOfServiceLevel.AtLeastOnce, message.Retain, Dup: false, packetId);
        _pendingPublishes.Add(packetId, pending);
        if (connection is not null)
        {
            pending.Sent = true;
            connection.TryEnqueue(pending.Packet);
        }
    }

    /// <summary>Cancellation before a slot was granted: nothing was sent, so the publish is dropped. Once in flight it stays.</summary>
    private void CancelWaiting(PendingPublish pending)
    {
        lock (_sync)
        {
            if (pending.Packet is null)
            {
                pending.Cancelled = true;
            }
        }
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

            _inflightCount--;
            while (_inflightCount < _maxInflight && _waitingForSlot.TryDequeue(out var next))
            {
                if (!next.Cancelled)
                {
                    Activate(next, _connection);
                }
            }
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
