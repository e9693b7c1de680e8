using Fleet.Mqtt.Internal;
using Fleet.Mqtt.Packets;

namespace Fleet.Mqtt.Client;

public sealed partial class MqttClient
{
    void IMqttConnectionOwner.OnPacketReceived(MqttConnection connection, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPublishPacket publish:
                Receive(connection, publish);
                break;
            case MqttPubAckPacket pubAck:
                CompletePublish(pubAck.PacketId);
                break;
            case MqttSubAckPacket subAck:
                CompleteRequest(subAck, subAck.PacketId);
                break;
            case MqttUnsubAckPacket unsubAck:
                CompleteRequest(unsubAck, unsubAck.PacketId);
                break;
            case MqttPingRespPacket:
                lock (_sync)
                {
                    foreach (var waiter in _pingWaiters)
                    {
                        waiter.TrySetResult();
                    }

                    _pingWaiters.Clear();
                }

                break;
            default:
                // CONNECT, SUBSCRIBE, a second CONNACK, or QoS 2 flow packets we never asked for.
                throw new MqttProtocolViolationException(MqttProtocolViolationReason.UnexpectedPacket, $"a client must not receive {packet.Type} here");
        }
    }

    private void Receive(MqttConnection connection, MqttPublishPacket publish)
    {
        if (publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            throw new MqttProtocolViolationException(MqttProtocolViolationReason.InvalidQualityOfService,
                "QoS 2 delivery, although this client never subscribes above QoS 1");
        }

        var message = new MqttApplicationMessage
        {
            Topic = publish.Topic,
            Payload = publish.Payload,
            QualityOfServiceLevel = publish.QualityOfServiceLevel,
            Retain = publish.Retain,
            Dup = publish.Dup,
        };
        var acks = publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce ? connection.Acks : null;
        var args = new MqttApplicationMessageReceivedEventArgs(_options!.ClientId, message, publish.PacketId, acks);

        // Registered here, on the read loop, so acknowledgement order is arrival order whatever the handlers do.
        acks?.Register(args);
        _received.Writer.TryWrite(args);
    }

    private async Task DispatchLoopAsync()
    {
        var reader = _received.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var args))
            {
                if (Volatile.Read(ref _disposed))
                {
                    return;
                }

                await AsyncEvent.InvokeAsync(ApplicationMessageReceivedAsync, args).ConfigureAwait(false);
                if (args.AutoAcknowledge)
                {
                    await args.AcknowledgeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
