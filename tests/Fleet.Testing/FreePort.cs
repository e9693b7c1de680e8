using System.Net;
using System.Net.Sockets;

namespace Fleet.Testing;

/// <summary>Finds loopback TCP ports nobody is listening on.</summary>
public static class FreePort
{
    /// <summary>
    /// Asks the OS for an ephemeral loopback port and releases it. Another process could take it before you bind it,
    /// which is unlikely enough for tests.
    /// </summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <returns>False if nothing did within <paramref name="timeout"/> or <paramref name="giveUp"/> returned true.</returns>
    public static async Task<bool> WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? giveUp = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && giveUp?.Invoke() != true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20, cancellationToken);
            }
        }

        return false;
    }
}
