using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Messaging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;

namespace Fleet.Api.Broker;

/// <summary>
/// Creates and rotates MQTT accounts in Mosquitto's dynamic-security plugin, over its own control topic. Each headset
/// gets its own client (username = headset id) and its own role, which lets it publish only its own events and status
/// and subscribe only to its own state, commands and commit confirmations. Setting a new password disconnects the old
/// session at once. Every account is bound to one client id (the plugin refuses any other at CONNECT, before Mosquitto
/// would hand the id's session over), so no account can take over a headset's or the API's connection by reusing its id.
/// </summary>
public sealed class DynamicSecurityAccounts(IOptions<BrokerOptions> options, ILogger<DynamicSecurityAccounts> log)
{
    private const string ControlTopic = "$CONTROL/dynamic-security/v1";
    private const string ResponseTopic = ControlTopic + "/response";
    private readonly BrokerOptions _o = options.Value;

    public bool Available => _o.Enabled && !string.IsNullOrEmpty(_o.AdminUsername) && !string.IsNullOrEmpty(_o.AdminPassword);

    /// <summary>Issues a fresh password for the headset's account (creating account and role the first time).</summary>
    public async Task<string> IssueHeadsetAsync(string headsetId, CancellationToken ct)
    {
        var password = NewPassword();
        var role = "headset-" + headsetId;
        var t = _o.Topics;
        await RunAsync([
            new() { ["command"] = "createRole", ["rolename"] = role },
            Acl(role, "publishClientSend", t.Events(headsetId)),
            Acl(role, "publishClientSend", t.Status(headsetId)),
            Acl(role, "subscribeLiteral", t.State(headsetId)),
            Acl(role, "subscribeLiteral", t.Commands(headsetId)),
            Acl(role, "subscribeLiteral", t.Confirmed(headsetId)),
        ], ct, tolerate: "already exists");
        var clientId = Fleet.Contracts.Mqtt.Topics.HeadsetClientId(headsetId);
        var created = await RunAsync([
            new() { ["command"] = "createClient", ["username"] = headsetId, ["password"] = password, ["clientid"] = clientId, ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }) },
        ], ct, tolerate: "already exists");
        if (created[0] is not null)
        {
            // Accounts enrolled before client ids were bound get theirs now.
            await RunAsync([
                new() { ["command"] = "setClientPassword", ["username"] = headsetId, ["password"] = password },
                new() { ["command"] = "setClientId", ["username"] = headsetId, ["clientid"] = clientId },
            ], ct);
        }
        return password;
    }

    /// <summary>The API's own account: read every headset's events and status, write every headset's state and commands.</summary>
    public async Task EnsureServiceAccountAsync(CancellationToken ct)
    {
        const string role = "fleet-api";
        var t = _o.Topics;
        await RunAsync([
            new() { ["command"] = "createRole", ["rolename"] = role },
            Acl(role, "subscribePattern", t.AllEvents), Acl(role, "subscribePattern", t.SharedEvents(_o.SharedGroup)),
            Acl(role, "subscribePattern", t.AllStatus), Acl(role, "subscribePattern", t.SharedStatus(_o.SharedGroup)),
            Acl(role, "publishClientSend", $"{t.Prefix}/headsets/+/state"),
            Acl(role, "publishClientSend", $"{t.Prefix}/headsets/+/commands"),
            Acl(role, "publishClientSend", $"{t.Prefix}/headsets/+/confirmed"),
        ], ct, tolerate: "already exists");
        // One account per API instance, bound to that instance's client id (several instances: one Username each).
        // An existing account keeps its password; it only gets its client id bound (this runs before the API connects).
        var created = await RunAsync([
            new() { ["command"] = "createClient", ["username"] = _o.Username, ["password"] = _o.Password, ["clientid"] = _o.ClientId, ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }) },
        ], ct, tolerate: "already exists");
        if (created[0] is not null)
            await RunAsync([new() { ["command"] = "setClientId", ["username"] = _o.Username, ["clientid"] = _o.ClientId }], ct);
        await UpgradeHeadsetRolesAsync(ct);
    }

    /// <summary>
    /// A read-only account for the System page: it may subscribe to the broker's <c>$SYS/broker/</c> statistics and
    /// nothing else. A fresh password each start (the API keeps it in memory only), bound to its own client id.
    /// </summary>
    public async Task<string> IssueMonitorAccountAsync(string username, string clientId, CancellationToken ct)
    {
        const string role = "fleet-monitor";
        var password = NewPassword();
        await RunAsync([new() { ["command"] = "createRole", ["rolename"] = role }, Acl(role, "subscribePattern", "$SYS/broker/#")], ct, tolerate: "already exists");
        var created = await RunAsync([
            new() { ["command"] = "createClient", ["username"] = username, ["password"] = password, ["clientid"] = clientId, ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }) },
        ], ct, tolerate: "already exists");
        if (created[0] is not null)
            await RunAsync([
                new() { ["command"] = "setClientPassword", ["username"] = username, ["password"] = password },
                new() { ["command"] = "setClientId", ["username"] = username, ["clientid"] = clientId },
            ], ct);
        return password;
    }

    /// <summary>
    /// Headsets enrolled before commit confirmations existed may read their own <c>confirmed</c> topic too; without it
    /// their agents would keep every event and fill their outboxes.
    /// </summary>
    private async Task UpgradeHeadsetRolesAsync(CancellationToken ct)
    {
        var listed = await RunRawAsync([new() { ["command"] = "listRoles", ["count"] = -1, ["offset"] = 0 }], ct);
        if (!listed[0].TryGetProperty("data", out var data) || !data.TryGetProperty("roles", out var roles)) return;
        var acls = roles.EnumerateArray().Select(r => r.GetString()).OfType<string>().Where(r => r.StartsWith("headset-", StringComparison.Ordinal))
            .Select(r => Acl(r, "subscribeLiteral", _o.Topics.Confirmed(r["headset-".Length..]))).ToArray();
        foreach (var chunk in acls.Chunk(100)) await RunAsync(chunk, ct, tolerate: "already exists");
    }

    private static JsonObject Acl(string role, string type, string topic) => new()
    {
        ["command"] = "addRoleACL", ["rolename"] = role, ["acltype"] = type, ["topic"] = topic, ["allow"] = true, ["priority"] = 0,
    };

    /// <summary>Runs commands and returns each one's error (null when it succeeded); errors other than the tolerated kind throw.</summary>
    private async Task<string?[]> RunAsync(JsonObject[] commands, CancellationToken ct, string? tolerate = null)
    {
        var results = await RunRawAsync(commands, ct);
        var errors = results.Select(r => r.TryGetProperty("error", out var e) ? e.GetString() : null).ToArray();
        foreach (var (error, i) in errors.Select((e, i) => (e, i)))
        {
            if (error is null || (tolerate is not null && error.Contains(tolerate, StringComparison.OrdinalIgnoreCase))) continue;
            log.LogError("Dynamic security refused {Command}: {Error}", commands[i]["command"], error);
            throw new InvalidOperationException($"The broker refused {commands[i]["command"]}: {error}");
        }
        return errors;
    }

    /// <summary>Sends the commands on the control topic and returns the plugin's response to each.</summary>
    private async Task<JsonElement[]> RunRawAsync(JsonObject[] commands, CancellationToken ct)
    {
        if (!Available) throw new InvalidOperationException("The broker's dynamic-security administrator is not configured (Fleet:Mqtt:AdminUsername/AdminPassword).");
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var c in commands) c["correlationData"] = correlation;
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            using var doc = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var responses = doc.RootElement.GetProperty("responses");
            if (responses.GetArrayLength() > 0 && responses[0].TryGetProperty("correlationData", out var cd) && cd.GetString() == correlation)
                response.TrySetResult(responses.Clone());
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder().WithTcpServer(_o.Host, _o.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("fleet-api-admin-" + correlation[..8]).WithCredentials(_o.AdminUsername!, _o.AdminPassword!)
            .WithCleanStart(true).WithTimeout(TimeSpan.FromSeconds(10));
        if (_o.UseTls) builder = builder.WithFleetTls(_o.CaFile);
        var connected = await client.ConnectAsync(builder.Build(), ct);
        if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(connected);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(ResponseTopic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        var body = new JsonObject { ["commands"] = new JsonArray([.. commands]) };
        var published = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ControlTopic).WithPayload(body.ToJsonString())
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        if (!published.IsSuccess) throw new PublishRefusedException(ControlTopic, published);
        var results = await response.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await client.DisconnectAsync(new MqttClientDisconnectOptions(), ct);
        return [.. results.EnumerateArray()];
    }

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
