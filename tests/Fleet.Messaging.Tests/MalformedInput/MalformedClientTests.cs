using System.Net.Sockets;

namespace Fleet.Messaging.Tests.MalformedInput;

/// <summary>
/// Bytes that are not MQTT cost their sender its own connection and nobody else anything: an MQTTnet subscriber (the
/// API) connected to the same broker keeps its connection and keeps receiving.
/// </summary>
[Collection(SharedMosquittoCollection.Name)]
public class MalformedClientTests(SharedMosquitto fixture)
{
    private MosquittoBroker Broker => fixture.Broker;

    public static TheoryData<string> Inputs => ["random bytes", "CONNECT with another protocol name", "CONNECT with a five-byte remaining length", "PUBLISH with QoS 3 after a valid CONNECT", "SUBSCRIBE with no topic after a valid CONNECT"];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task AClientSendingMalformedMqttHasOnlyItsOwnConnectionClosed(string input)
    {
        var topic = Mqtt.UniqueTopic("bystander");
        using var subscriber = await Broker.ConnectAsync(Broker.PersistentOptions(Mqtt.UniqueClientId("api")).Build());
        var received = new MessageCollector(subscriber);
        var disconnects = 0;
        subscriber.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref disconnects);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAtLeastOnceAsync(topic);
        using var publisher = await Broker.ConnectAsync();
        await publisher.PublishAtLeastOnceAsync(topic, "before");
        (await received.NextAsync()).Text().ShouldBe("before");

        var refusalsBefore = BrokerRefusals();
        using var rogue = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await rogue.ConnectAsync(Broker.Host, Broker.Port, Timeouts.Token());
        await SendAsync(rogue, input);

        (await ClosedByBrokerAsync(rogue)).ShouldBeTrue("the broker closes the connection that sent the malformed bytes");
        await Timeouts.WaitUntilAsync(() => BrokerRefusals() > refusalsBefore, "the broker logged why it closed the connection");
        await publisher.PublishAtLeastOnceAsync(topic, "after");
        (await received.NextAsync()).Text().ShouldBe("after");
        subscriber.IsConnected.ShouldBeTrue();
        disconnects.ShouldBe(0);
    }

    /// <summary>Mosquitto's log lines for a connection it closed because of what it sent.</summary>
    private int BrokerRefusals() => Broker.Log.Split('\n').Count(line =>
        line.Contains("disconnected due to protocol error") || line.Contains("disconnected due to malformed packet") || line.Contains("Invalid "));

    private static async Task SendAsync(Socket socket, string input)
    {
        if (input.EndsWith("after a valid CONNECT"))
        {
            await socket.SendAsync(ValidConnect(), SocketFlags.None);
            var connack = new byte[4];
            (await socket.ReceiveAsync(connack, SocketFlags.None, Timeouts.Token())).ShouldBe(4);
            connack.ShouldBe(new byte[] { 0x20, 0x02, 0x00, 0x00 }, "CONNACK, accepted");
        }

        byte[] bytes = input switch
        {
            // Seeded, so a failure can be reproduced; the first byte is not CONNECT (0x1_), which Mosquitto demands first.
            "random bytes" => RandomBytes(),
            "CONNECT with another protocol name" => [0x10, 0x0D, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'X', (byte)'X', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, (byte)'x'],
            "CONNECT with a five-byte remaining length" => [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
            "PUBLISH with QoS 3 after a valid CONNECT" => [0x36, 0x05, 0x00, 0x01, (byte)'t', 0x00, 0x01],
            "SUBSCRIBE with no topic after a valid CONNECT" => [0x82, 0x02, 0x00, 0x01],
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        await socket.SendAsync(bytes, SocketFlags.None);
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[512];
        new Random(20_261_122).NextBytes(bytes);
        bytes[0] = 0xE7; // DISCONNECT's type with reserved flags set: not a CONNECT, and invalid anyway
        return bytes;
    }

    /// <summary>A 3.1.1 CONNECT with client id "rogue", clean session, keep-alive 60 s.</summary>
    private static byte[] ValidConnect() =>
        [0x10, 0x11, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x05, (byte)'r', (byte)'o', (byte)'g', (byte)'u', (byte)'e'];

    /// <summary>Reads until the broker closes the socket (end of stream or reset); false if it stays open.</summary>
    private static async Task<bool> ClosedByBrokerAsync(Socket socket)
    {
        var buffer = new byte[1024];
        var timeout = Timeouts.Token();
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout) > 0)
            {
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
