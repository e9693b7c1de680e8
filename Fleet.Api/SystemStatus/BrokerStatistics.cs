using System.Buffers;
using System.Globalization;
using System.Text;
using Fleet.Api.Broker;
using Fleet.Contracts.Api;
using Fleet.Messaging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;

namespace Fleet.Api.SystemStatus;

/// <summary>
/// Reads Mosquitto's own statistics from its <c>$SYS/broker/</c> topics (published every <c>sys_interval</c>, 10 s by
/// default, and retained, so a new subscriber has them at once). The API's own account may not read <c>$SYS</c>, and
/// widening it would also widen what a stolen API password reads; so the API's broker administrator creates a separate
/// account whose role may subscribe to <c>$SYS/broker/#</c> only. Without an administrator (or with MQTT off) the page
/// says so instead of showing numbers.
/// </summary>
public sealed class BrokerStatistics(IOptions<BrokerOptions> options, DynamicSecurityAccounts accounts, TimeProvider time, ILogger<BrokerStatistics> log)
    : BackgroundService
{
    private const string Prefix = "$SYS/broker/";
    private readonly BrokerOptions _o = options.Value;
    private long? _stored, _retained, _clients;
    private DateTimeOffset? _readAt;
    private string? _problem;

    public BrokerQueue Current => !_o.Enabled ? new(null, null, null, null, null, "MQTT ingestion is turned off on this instance.")
        : !accounts.Available ? new(null, null, null, null, null, "This instance has no broker administrator account, so it cannot read the broker's statistics.")
        : new(_stored, _retained, _stored is { } s && _retained is { } r ? Math.Max(0, s - r) : null, _clients, _readAt,
            _readAt is null ? _problem ?? "Waiting for the broker's first statistics." : null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_o.Enabled || !accounts.Available) return;
        var username = _o.Username + "-monitor";
        var clientId = _o.ClientId + "-monitor";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var password = await accounts.IssueMonitorAccountAsync(username, clientId, stoppingToken);
                using var client = new MqttClientFactory().CreateMqttClient();
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                client.DisconnectedAsync += _ => { closed.TrySetResult(); return Task.CompletedTask; };
                client.ApplicationMessageReceivedAsync += e =>
                {
                    Read(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
                    return Task.CompletedTask;
                };
                var builder = new MqttClientOptionsBuilder().WithTcpServer(_o.Host, _o.Port).WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithClientId(clientId).WithCredentials(username, password).WithCleanStart(true).WithTimeout(TimeSpan.FromSeconds(10))
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(_o.KeepAliveSeconds));
                if (_o.UseTls) builder = builder.WithFleetTls(_o.CaFile);
                var connected = await client.ConnectAsync(builder.Build(), stoppingToken);
                if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(connected);
                await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(Prefix + "store/messages/count").WithTopicFilter(Prefix + "retained messages/count")
                    .WithTopicFilter(Prefix + "clients/connected").Build(), stoppingToken);
                _problem = null;
                await closed.Task.WaitAsync(stoppingToken);
                _problem = "The connection that reads the broker's statistics was lost; the numbers shown are the last ones read.";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _problem = "The broker's statistics cannot be read at the moment.";
                log.LogWarning(e, "Reading the broker's $SYS statistics failed; trying again in 10 s");
            }
            await Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken);
        }
    }

    private void Read(string topic, ReadOnlySequence<byte> payload)
    {
        // The broker's own numbers as decimal text; anything else is ignored rather than trusted.
        if (payload.Length is 0 or > 20 || !long.TryParse(Encoding.ASCII.GetString(payload), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return;
        switch (topic[Prefix.Length..])
        {
            case "store/messages/count": _stored = value; break;
            case "retained messages/count": _retained = value; break;
            case "clients/connected": _clients = value; break;
            default: return;
        }
        _readAt = time.GetUtcNow();
    }
}
