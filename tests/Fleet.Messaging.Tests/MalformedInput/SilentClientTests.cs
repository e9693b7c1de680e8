using System.Diagnostics;
using System.Net.Sockets;
using Fleet.Testing.Broker;

namespace Fleet.Messaging.Tests.MalformedInput;

/// <summary>
/// A connection that opens TCP and never sends CONNECT. Debian's Mosquitto 2.0.11 has no setting for how long it
/// waits for CONNECT: it treats the new connection as having the default keep-alive of 60 s and closes it after one
/// and a half keep-alives. This pins that bound (measured: 94 s) so a broker change that loosens it is noticed. The
/// issue asked for "a few seconds", which this broker cannot be configured to do.
/// Its own broker and no collection, so the 90-second wait runs beside the other tests instead of blocking them.
/// </summary>
public sealed class SilentClientTests
{
    [Fact]
    public async Task TheBrokerClosesAConnectionThatNeverSendsConnectWithinTwoMinutes()
    {
        await using var broker = await MosquittoBroker.StartNewAsync();
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(broker.Host, broker.Port);
        var clock = Stopwatch.StartNew();

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var closed = false;
        try
        {
            closed = await silent.ReceiveAsync(new byte[16], SocketFlags.None, limit.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            closed = true;
        }
        catch (OperationCanceledException)
        {
        }

        closed.ShouldBeTrue($"the broker still held the silent connection after {clock.Elapsed.TotalSeconds:F0} s");
    }
}
