using System.Text;
using Fleet.Mqtt.Client;
using Fleet.Mqtt.Packets;
using Fleet.Mqtt.Tests.Support;
using Shouldly;
using Xunit;

namespace Fleet.Mqtt.Tests.Client;

public class ConnectTests
{
    [Fact]
    public async Task ConnectSendsEveryOptionInTheConnectPacket()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var options = ClientHelpers.FakeOptions(broker)
            .WithClientId("headset-17")
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(42))
            .WithCredentials("ward-3", "s3cret")
            .WithWillMessage(ClientHelpers.Message("headsets/17/status", "offline", retain: true))
            .Build();

        var accept = broker.AcceptClientAsync();
        await client.ConnectAsync(options);
        var (_, connect) = await accept;

        connect.ClientId.ShouldBe("headset-17");
        connect.CleanSession.ShouldBeFalse();
        connect.KeepAliveSeconds.ShouldBe((ushort)42);
        connect.Username.ShouldBe("ward-3");
        Encoding.UTF8.GetString(connect.Password!.Value.Span).ShouldBe("s3cret");
        connect.Will!.Topic.ShouldBe("headsets/17/status");
        Encoding.UTF8.GetString(connect.Will.Payload.Span).ShouldBe("offline");
        connect.Will.QualityOfServiceLevel.ShouldBe(MqttQualityOfServiceLevel.AtLeastOnce);
        connect.Will.Retain.ShouldBeTrue();
        client.IsConnected.ShouldBeTrue();
    }

    [Fact]
    public async Task UserNameWithoutPasswordSendsNoPasswordFlag()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var accept = broker.AcceptClientAsync();
        await client.ConnectAsync(ClientHelpers.FakeOptions(broker).WithCredentials("only-user").Build());

        var (_, connect) = await accept;
        connect.Username.ShouldBe("only-user");
        connect.Password.ShouldBeNull();
    }

    [Theory]
    [InlineData(1, MqttClientConnectResultCode.UnacceptableProtocolVersion)]
    [InlineData(2, MqttClientConnectResultCode.IdentifierRejected)]
    [InlineData(3, MqttClientConnectResultCode.ServerUnavailable)]
    [InlineData(4, MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData(5, MqttClientConnectResultCode.NotAuthorized)]
    public async Task RefusedConnectionThrowsWithTheReturnCode(byte code, MqttClientConnectResultCode expected)
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var accept = broker.AcceptClientAsync(code: (MqttConnectReturnCode)code);

        var exception = await Should.ThrowAsync<MqttConnectingFailedException>(() => client.ConnectAsync(ClientHelpers.FakeOptions(broker).Build()));
        await accept;

        exception.ResultCode.ShouldBe(expected);
        client.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task SessionPresentIsReported()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var accept = broker.AcceptClientAsync(sessionPresent: true);

        var result = await client.ConnectAsync(ClientHelpers.FakeOptions(broker).WithCleanSession(false).Build());
        await accept;

        result.IsSessionPresent.ShouldBeTrue();
        result.ResultCode.ShouldBe(MqttClientConnectResultCode.Success);
    }

    [Fact]
    public async Task ConnectTimesOutWhenTheBrokerNeverSendsConnAck()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var accept = broker.AcceptAsync();

        await Should.ThrowAsync<MqttCommunicationTimedOutException>(() =>
            client.ConnectAsync(ClientHelpers.FakeOptions(broker).WithTimeout(TimeSpan.FromMilliseconds(300)).Build()));

        client.IsConnected.ShouldBeFalse();
        var connection = await accept;
        await connection.WaitForCloseAsync();
    }

    [Fact]
    public async Task ConnectToAClosedPortThrowsCommunicationException()
    {
        await using var client = new MqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Fleet.Testing.FreePort.Next()).Build();

        await Should.ThrowAsync<MqttCommunicationException>(() => client.ConnectAsync(options));
        client.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task FirstPacketOtherThanConnAckIsAProtocolViolation()
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient();
        var accept = Task.Run(async () =>
        {
            var connection = await broker.AcceptAsync();
            await connection.ReceiveAsync<MqttConnectPacket>();
            await connection.SendAsync(MqttPingRespPacket.Instance);
        });

        var exception = await Should.ThrowAsync<MqttProtocolViolationException>(() => client.ConnectAsync(ClientHelpers.FakeOptions(broker).Build()));
        await accept;
        exception.Reason.ShouldBe(MqttProtocolViolationReason.UnexpectedPacket);
    }

    [Fact]
    public async Task ConnectingTwiceIsRejected()
    {
        await using var broker = new FakeBroker();
        var (client, _) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;

        await Should.ThrowAsync<InvalidOperationException>(() => client.ConnectAsync(ClientHelpers.FakeOptions(broker).Build()));
    }

    [Fact]
    public async Task DisconnectSendsDisconnectAndRaisesNormalDisconnection()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);
        await using var _ = client;
        var disconnected = client.NextDisconnect();

        var disconnecting = client.DisconnectAsync();
        await connection.ReceiveAsync<MqttDisconnectPacket>();
        await connection.WaitForCloseAsync();
        connection.Abort();
        await disconnecting;

        (await disconnected).Reason.ShouldBe(MqttClientDisconnectReason.NormalDisconnection);
        client.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task DisposeClosesTheSocketWithoutDisconnectSoTheWillIsPublished()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ClientHelpers.ConnectAsync(broker);

        await client.DisposeAsync();

        await Should.ThrowAsync<EndOfStreamException>(() => connection.ReceiveAsync());
    }

    [Fact]
    public async Task InvalidOptionsAreRejectedWhenBuilt()
    {
        Should.Throw<ArgumentException>(() => new MqttClientOptionsBuilder().Build());
        Should.Throw<ArgumentException>(() => new MqttClientOptionsBuilder().WithTcpServer("h").WithKeepAlivePeriod(TimeSpan.FromDays(2)).Build());
        Should.Throw<ArgumentException>(() => new MqttClientOptionsBuilder().WithTcpServer("h").WithMaxInflightPublishes(0).Build());
        Should.Throw<ArgumentException>(() => new MqttClientOptionsBuilder().WithTcpServer("h").WithBufferSize(512).Build());
        Should.Throw<ArgumentException>(() => new MqttClientOptionsBuilder().WithTcpServer("h").WithWillMessage(ClientHelpers.Message("a/#", "x")).Build());
        new MqttClientOptionsBuilder().WithTcpServer("h").Build().ClientId.ShouldStartWith("fleet-");
        await Task.CompletedTask;
    }
}
