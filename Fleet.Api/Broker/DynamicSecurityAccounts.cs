using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Mqtt;
using Fleet.Mqtt.Client;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Broker;

/// <summary>
/// Creates and rotates MQTT accounts in Mosquitto's dynamic-security plugin, over its own control topic. Each headset
/// gets its own client (username = headset id) and its own role, which lets it publish only its own events and status
/// and subscribe only to its own state and commands. Setting a new password disconnects the old session at once.
/// Every account is bound to one client id (the plugin refuses any other at CONNECT, before Mosquitto would hand the
/// id's session over), so no account can take over a headset's or the API's connection by reusing its client id.
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
        ], ct, tolerate: "already exists");
        // One account per API instance, bound to that instance's client id (several instances: one Username each).
        // An existing account keeps its password; it only gets its client id bound (this runs before the API connects).
        var created = await RunAsync([
            new() { ["command"] = "createClient", ["username"] = _o.Username, ["password"] = _o.Password, ["clientid"] = _o.ClientId, ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }) },
        ], ct, tolerate: "already exists");
        if (created[0] is not null)
            await RunAsync([new() { ["command"] = "setClientId", ["username"] = _o.Username, ["clientid"] = _o.ClientId }], ct);
    }

    private static JsonObject Acl(string role, string type, string topic) => new()
    {
        ["command"] = "addRoleACL", ["rolename"] = role, ["acltype"] = type, ["topic"] = topic, ["allow"] = true, ["priority"] = 0,
    };

    /// <summary>Runs commands and returns each one's error (null when it succeeded); errors other than the tolerated kind throw.</summary>
    private async Task<string?[]> RunAsync(JsonObject[] commands, CancellationToken ct, string? tolerate = null)
    {
        if (!Available) throw new InvalidOperationException("The broker's dynamic-security administrator is not configured (Fleet:Mqtt:AdminUsername/AdminPassword).");
        var correlation = Guid.NewGuid().ToString("N");
        foreach (var c in commands) c["correlationData"] = correlation;
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new MqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            using var doc = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var responses = doc.RootElement.GetProperty("responses");
            if (responses.GetArrayLength() > 0 && responses[0].TryGetProperty("correlationData", out var cd) && cd.GetString() == correlation)
                response.TrySetResult(responses.Clone());
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder().WithTcpServer(_o.Host, _o.Port).WithClientId("fleet-api-admin-" + correlation[..8])
            .WithCredentials(_o.AdminUsername!, _o.AdminPassword!).WithCleanSession(true).WithTimeout(TimeSpan.FromSeconds(10));
        if (_o.UseTls) builder = builder.WithTlsOptions(tls => { if (_o.CaFile is { } ca) tls.WithCaFile(ca); });
        await client.ConnectAsync(builder.Build(), ct);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(ResponseTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        var body = new JsonObject { ["commands"] = new JsonArray([.. commands]) };
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ControlTopic).WithPayload(body.ToJsonString())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        var results = await response.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await client.DisconnectAsync(ct);

        var errors = results.EnumerateArray().Select(r => r.TryGetProperty("error", out var e) ? e.GetString() : null).ToArray();
        foreach (var (error, i) in errors.Select((e, i) => (e, i)))
        {
            if (error is null || (tolerate is not null && error.Contains(tolerate, StringComparison.OrdinalIgnoreCase))) continue;
            log.LogError("Dynamic security refused {Command}: {Error}", commands[i]["command"], error);
            throw new InvalidOperationException($"The broker refused {commands[i]["command"]}: {error}");
        }
        return errors;
    }

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
