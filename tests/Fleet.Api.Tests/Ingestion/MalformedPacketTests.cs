using System.Net.Sockets;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>A client sending bytes that are not MQTT, or broken MQTT, loses its own connection and nothing else.</summary>
public sealed class MalformedPacketTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    public static TheoryData<string, byte[]> Garbage() => new()
    {
        { "random bytes", Enumerable.Range(0, 512).Select(i => (byte)(i * 37 + 11)).ToArray() },
        { "a CONNECT with a bogus protocol name", [0x10, 0x0C, 0x00, 0x04, (byte)'X', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00] },
        { "a CONNECT whose remaining length takes five bytes", [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x04, (byte)'M', (byte)'Q'] },
        { "a PUBLISH before any CONNECT", [0x32, 0x0A, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'b', 0x00, 0x01, (byte)'h', (byte)'i', 0x00] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task ABrokenClientIsCutOffAndTheApiKeepsIngestingEveryEvent(string what, byte[] bytes)
    {
        var e = await _b.EnrollAsync("HS-0001");
        using var agent = await _b.ConnectAsHeadsetAsync(e);
        await _b.PublishEventAsync(agent, "HS-0001", 1, EventTypes.Heartbeat, new HeartbeatData(1, "test"));

        using (var rogue = new TcpClient())
        {
            await rogue.ConnectAsync(_b.Broker.Host, _b.Broker.Port);
            var stream = rogue.GetStream();
            await stream.WriteAsync(bytes);
            // The broker closes the rogue connection: a read returns 0 (or the socket is reset).
            var buffer = new byte[64];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var closed = false;
            try
            {
                while (!closed) closed = await stream.ReadAsync(buffer, timeout.Token) == 0;
            }
            catch (IOException)
            {
                closed = true;
            }
            closed.ShouldBeTrue($"the broker should close a connection that sent {what}");
        }

        for (var seq = 2; seq <= 10; seq++)
            await _b.PublishEventAsync(agent, "HS-0001", seq, EventTypes.Heartbeat, new HeartbeatData(seq, "test"));
        var stats = await _b.WaitForStatsAsync(s => s.Stored == 10, "all ten events after the broken client");
        stats.DeadLettered.ShouldBe(0);
        agent.IsConnected.ShouldBeTrue();
        stats.Headsets.Single().Gaps.ShouldBeEmpty();
    }
}
