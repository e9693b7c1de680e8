using System.Net.Sockets;
using System.Text;

namespace Fleet.Web.Tests.Hardening;

/// <summary>
/// A chunked form upload over a plain socket that keeps reading the answer while it writes, like a browser, and stops
/// writing once the server has answered or closed: HttpClient reports such an early answer as a failed send.
/// </summary>
public static class RawPost
{
    public static async Task<(int Status, string Body)> SendChunkedAsync(Uri site, string path, int bytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(site.Host, site.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {site.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var answer = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0) answer.Write(buffer, 0, n);
            }
            catch (IOException) { }
        });
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n" + new string('a', 64 * 1024) + "\r\n");
        try
        {
            for (var sent = 0; sent < bytes && !reading.IsCompleted && answer.Length == 0; sent += 64 * 1024) await stream.WriteAsync(chunk);
            if (!reading.IsCompleted && answer.Length == 0) await stream.WriteAsync(Encoding.ASCII.GetBytes("0\r\n\r\n"));
        }
        catch (IOException)
        {
            // The server stopped reading: expected once it has answered.
        }
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var status = text.Length > 12 && int.TryParse(text.AsSpan(9, 3), out var s) ? s : 0;
        return (status, text);
    }
}
