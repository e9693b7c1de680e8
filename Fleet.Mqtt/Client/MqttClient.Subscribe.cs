using Fleet.Mqtt.Formatter;
using Fleet.Mqtt.Internal;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Client;

public sealed partial class MqttClient
{
    /// <inheritdoc />
    public async Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var filters = options.TopicFilters;
        if (filters.Count == 0)
        {
            throw new ArgumentException("Subscribe to at least one topic filter.", nameof(options));
        }

        foreach (var filter in filters)
        {
            ValidateFilter(filter.Topic);
            switch (filter.QualityOfServiceLevel)
            {
                case MqttQualityOfServiceLevel.ExactlyOnce:
                    throw new NotSupportedException("QoS 2 subscriptions are not supported; subscribe with QoS 1.");
                case > MqttQualityOfServiceLevel.ExactlyOnce:
                    throw new ArgumentOutOfRangeException(nameof(options), $"QoS {(int)filter.QualityOfServiceLevel} does not exist.");
            }
        }

        var subAck = (MqttSubAckPacket)await SendRequestAsync(id => new MqttSubscribePacket(id, filters), MqttPacketType.SubAck, cancellationToken)
            .ConfigureAwait(false);
        if (subAck.ReturnCodes.Count != filters.Count)
        {
            var violation = new MqttProtocolViolationException(MqttProtocolViolationReason.MalformedPacket,
                $"SUBACK has {subAck.ReturnCodes.Count} return codes for {filters.Count} topic filters");
            Volatile.Read(ref _connection)?.Close(MqttClientDisconnectReason.ProtocolViolation, violation);
            throw violation;
        }

        var items = new MqttClientSubscribeResultItem[filters.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new MqttClientSubscribeResultItem(filters[i], (MqttClientSubscribeResultCode)subAck.ReturnCodes[i]);
        }

        return new MqttClientSubscribeResult(items);
    }

    /// <inheritdoc />
    public async Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var filters = options.TopicFilters;
        if (filters.Count == 0)
        {
            throw new ArgumentException("Unsubscribe from at least one topic filter.", nameof(options));
        }

        foreach (var filter in filters)
        {
            ValidateFilter(filter);
        }

        await SendRequestAsync(id => new MqttUnsubscribePacket(id, filters), MqttPacketType.UnsubAck, cancellationToken).ConfigureAwait(false);
        return new MqttClientUnsubscribeResult(filters);
    }

    private async Task<MqttPacket> SendRequestAsync(Func<ushort, MqttPacket> createPacket, MqttPacketType expectedAck, CancellationToken cancellationToken)
    {
        var request = new PendingRequest(expectedAck);
        MqttConnection connection;
        ushort packetId;
        TimeSpan timeout;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = _connection ?? throw new MqttClientNotConnectedException();
            packetId = AllocatePacketId();
            _pendingRequests.Add(packetId, request);
            timeout = _options!.Timeout;
        }

        try
        {
            if (!connection.TryEnqueue(createPacket(packetId)))
            {
                throw new MqttClientNotConnectedException();
            }

            return await request.Completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MqttCommunicationTimedOutException($"No {expectedAck} within {timeout}.");
        }
        finally
        {
            lock (_sync)
            {
                if (_pendingRequests.TryGetValue(packetId, out var current) && ReferenceEquals(current, request))
                {
                    _pendingRequests.Remove(packetId);
                }
            }
        }
    }

    private void CompleteRequest(MqttPacket ack, ushort packetId)
    {
        PendingRequest? request;
        lock (_sync)
        {
            if (!_pendingRequests.Remove(packetId, out request))
            {
                return; // Late answer to a request that timed out.
            }
        }

        if (request.ExpectedAck != ack.Type)
        {
            var violation = new MqttProtocolViolationException(MqttProtocolViolationReason.UnexpectedPacket,
                $"{ack.Type} for packet {packetId}, which was answered by {request.ExpectedAck}");
            request.Completion.TrySetException(violation);
            throw violation;
        }

        request.Completion.TrySetResult(ack);
    }

    private static void ValidateFilter(string filter)
    {
        if (!MqttTopic.IsValidTopicFilter(filter))
        {
            throw new ArgumentException($"\"{filter}\" is not a valid topic filter.", nameof(filter));
        }

        MqttUtf8.GetByteCountForSending(filter, nameof(filter));
    }
}
