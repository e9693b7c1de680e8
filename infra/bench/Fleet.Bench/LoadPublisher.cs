using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Fleet.Bench;

/// <summary>One publishing connection: a headset (or the bench account) sending battery events at QoS 1.</summary>
/// <param name="ClientId">The client id the broker binds to the account (a headset's), or null for an unbound account.</param>
public sealed record Publisher(string HeadsetId, string Username, string Password, string Topic, string? ClientId = null);

/// <summary>
/// N connections publishing contract battery events at QoS 1 for a while, each publish counted only once the broker's
/// PUBACK arrives (from then on the broker owns it). With a rate, one pacing loop tops every connection up to its share
/// every couple of milliseconds; without one, each connection keeps <see cref="MaxInFlight"/> publishes in the air.
/// </summary>
public sealed class LoadPublisher(string host, int port, IReadOnlyList<Publisher> publishers)
{
    /// <summary>Publishes a connection may have unacknowledged (the broker allows max_inflight_messages, 10,000).</summary>
    public const int MaxInFlight = 400;

    private List<PacketConnection> _connections = [];
    private long _limit = long.MaxValue;

    public long Acked => _connections.Sum(c => c.Acked);

    public async Task<long> RunAsync(TimeSpan duration, int ratePerSecond, CancellationToken ct)
    {
        _connections = [.. await Task.WhenAll(publishers.Select(p => PacketConnection.ConnectAsync(host, port, p, ct)))];
        try
        {
            var perConnection = ratePerSecond <= 0 ? double.PositiveInfinity : (double)ratePerSecond / publishers.Count;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration && !ct.IsCancellationRequested && _connections.Any(c => c.Sent < _limit))
            {
                var elapsed = clock.Elapsed.TotalSeconds;
                for (var i = 0; i < _connections.Count; i++)
                {
                    var c = _connections[i];
                    var due = Math.Min(_limit, double.IsInfinity(perConnection) ? long.MaxValue : (long)(elapsed * perConnection)) - c.Sent;
                    var count = (int)Math.Min(due, MaxInFlight - c.InFlight);
                    var headset = publishers[i].HeadsetId;
                    if (count > 0) await c.PublishAsync(count, seq => Payload(headset, seq), ct);
                }
                await Task.Delay(2, ct); // the pacing tick: each write carries what fell due since the last
            }
            foreach (var c in _connections) await c.DrainAsync(TimeSpan.FromSeconds(60));
            return Acked;
        }
        finally
        {
            foreach (var c in _connections) await c.DisposeAsync();
        }
    }

    /// <summary>Publishes about <paramref name="total"/> events as fast as possible and returns how many the broker acknowledged.</summary>
    public async Task<long> RunCountAsync(long total, CancellationToken ct)
    {
        _limit = total / publishers.Count;
        return await RunAsync(TimeSpan.FromHours(1), 0, ct);
    }

    /// <summary>A contract battery event; <c>at</c> is the publish moment, so commit latency can be read from the database.</summary>
    public static byte[] Payload(string headsetId, long seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"id":"{{{Guid.CreateVersion7()}}}","headset":"{{{headsetId}}}","seq":{{{seq}}},"type":"battery","at":"{{{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}}","data":{"percent":{{{50 + seq % 50}}},"charging":false,"temperatureC":31.5,"healthPercent":96,"cycleCount":143}}"""));
}
