using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fleet.Bench;

/// <summary>One publishing connection: a headset (or the bench account) sending battery events at QoS 1.</summary>
/// <param name="ClientId">The client id the broker binds to the account (a headset's), or null for an unbound account.</param>
public sealed record Publisher(string HeadsetId, string Username, string Password, string Topic, string? ClientId = null);

/// <summary>
/// N connections publishing contract battery events at QoS 1 for a while, each publish counted only once the broker's
/// PUBACK arrives (from then on the broker owns it). With a rate, a token bucket spreads it over the connections.
/// </summary>
public sealed class LoadPublisher(string host, int port, IReadOnlyList<Publisher> publishers)
{
    private long _acked;

    public long Acked => Interlocked.Read(ref _acked);

    public async Task<long> RunAsync(TimeSpan duration, int ratePerSecond, CancellationToken ct)
    {
        var clients = new List<IMqttClient>();
        var factory = new MqttClientFactory();
        foreach (var p in publishers)
        {
            var c = factory.CreateMqttClient();
            var connected = await c.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(p.ClientId ?? "bench-" + p.HeadsetId + "-" + Guid.NewGuid().ToString("N")[..6]).WithCredentials(p.Username, p.Password).Build(), ct);
            if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException($"The broker refused {p.Username}: {connected.ResultCode}");
            clients.Add(c);
        }
        var stop = Stopwatch.StartNew();
        var perConnection = ratePerSecond <= 0 ? 0 : Math.Max(1, ratePerSecond / publishers.Count);
        var tasks = publishers.Select((p, i) => PublishLoopAsync(clients[i], p, duration, perConnection, stop, ct)).ToList();
        await Task.WhenAll(tasks);
        foreach (var c in clients)
        {
            await c.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            c.Dispose();
        }
        return Acked;
    }

    /// <summary>Publishes about <paramref name="total"/> events as fast as possible and returns how many the broker acknowledged.</summary>
    public async Task<long> RunCountAsync(long total, CancellationToken ct)
    {
        _limit = total / publishers.Count;
        return await RunAsync(TimeSpan.FromHours(1), 0, ct);
    }

    private long _limit = long.MaxValue;

    private async Task PublishLoopAsync(IMqttClient client, Publisher p, TimeSpan duration, int ratePerSecond, Stopwatch clock, CancellationToken ct)
    {
        long seq = 0;
        var pending = new Queue<Task>();
        while (clock.Elapsed < duration && seq < _limit && !ct.IsCancellationRequested)
        {
            if (ratePerSecond > 0)
            {
                var due = TimeSpan.FromSeconds((double)seq / ratePerSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(2)) await Task.Delay(wait, ct);
            }
            seq++;
            var message = new MqttApplicationMessageBuilder().WithTopic(p.Topic).WithPayload(Payload(p.HeadsetId, seq))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            pending.Enqueue(Count(client.PublishAsync(message, ct)));
            // Keep a bounded number of publishes in the air per connection.
            while (pending.Count > 400) await pending.Dequeue();
        }
        while (pending.Count > 0) await pending.Dequeue();
    }

    private async Task Count(Task<MqttClientPublishResult> publish)
    {
        var result = await publish;
        if (!result.IsSuccess) throw new InvalidOperationException($"The broker refused a publish: {result.ReasonCode}");
        Interlocked.Increment(ref _acked);
    }

    /// <summary>A contract battery event; <c>at</c> is the publish moment, so commit latency can be read from the database.</summary>
    public static byte[] Payload(string headsetId, long seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"id":"{{{Guid.CreateVersion7()}}}","headset":"{{{headsetId}}}","seq":{{{seq}}},"type":"battery","at":"{{{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}}","data":{"percent":{{{50 + seq % 50}}},"charging":false,"temperatureC":31.5,"healthPercent":96,"cycleCount":143}}"""));
}
