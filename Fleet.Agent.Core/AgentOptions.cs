using Fleet.Agent.Core.Storage;
using Fleet.Contracts.Mqtt;

namespace Fleet.Agent.Core;

/// <summary>Everything one <see cref="HeadsetAgent"/> needs (configuration section <c>Agent</c> of the worker program).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>The id Fleet assigned at enrollment; also the MQTT user name unless <see cref="Username"/> says otherwise.</summary>
    public string HeadsetId { get; set; } = "";

    public string BrokerHost { get; set; } = "127.0.0.1";

    /// <summary>Null: 1883, or 8883 with TLS.</summary>
    public int? BrokerPort { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate (TLS).</summary>
    public string? CaFile { get; set; }

    public string? Username { get; set; }

    /// <summary>The password issued by <c>POST /api/v1/headsets/{id}/enroll</c>.</summary>
    public string? Password { get; set; }

    /// <summary>Stable, so the broker keeps this agent's persistent session; default <c>fleet-agent-{HeadsetId}</c>.</summary>
    public string? ClientId { get; set; }

    public string TopicPrefix { get; set; } = Topics.DefaultPrefix;

    /// <summary>The SQLite outbox file. Required: it holds every event until the broker has it, and the seq counter.</summary>
    public string OutboxPath { get; set; } = "";

    /// <summary>See <see cref="OutboxOptions.MaxEvents"/> for what happens at the bound.</summary>
    public int OutboxMaxEvents { get; set; } = 10_000;

    public OutboxDurability OutboxDurability { get; set; } = OutboxDurability.Full;

    /// <summary>
    /// For a host running many agents in one process, like the simulator: 1 KiB SQLite pages with a 4 KiB cache (see
    /// <see cref="OutboxOptions.PageSize"/>).
    /// </summary>
    public bool CompactMemory { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan BatteryInterval { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan DeviceInfoInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Where to write the shown state as JSON (null: no file).</summary>
    public string? StatusFilePath { get; set; }

    /// <summary>Serve <c>GET http://127.0.0.1:{port}/status</c> (null: no endpoint).</summary>
    public int? StatusHttpPort { get; set; }

    /// <summary>How often the status file is refreshed for the outbox counters, and a depth line is logged (null: never).</summary>
    public TimeSpan? StatusRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan? DepthLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An event the broker acknowledged but Fleet has not confirmed as committed within this time is published again
    /// (then after twice as long, and so on): a broker that crashed, or an API that lost a subscription, never loses it.
    /// </summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps this agent's session (and commands for it) while it is away (MQTT 5).</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many events may await PUBACK at once.</summary>
    public int PublishWindow { get; set; } = 50;

    /// <summary>On a clean stop, how long to wait for the outbox to empty before saying goodbye.</summary>
    public TimeSpan StopFlushTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public string AgentVersion { get; set; } = typeof(AgentOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    internal string EffectiveClientId => string.IsNullOrEmpty(ClientId) ? "fleet-agent-" + HeadsetId : ClientId;
    internal string EffectiveUsername => string.IsNullOrEmpty(Username) ? HeadsetId : Username;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HeadsetId)) throw new ArgumentException("Agent:HeadsetId is required (the id Fleet assigned at enrollment).");
        if (string.IsNullOrWhiteSpace(OutboxPath)) throw new ArgumentException("Agent:OutboxPath is required (the agent never sends an event it has not stored).");
        if (string.IsNullOrWhiteSpace(BrokerHost)) throw new ArgumentException("Agent:BrokerHost is required.");
        foreach (var (name, value) in new[] { ("HeartbeatInterval", HeartbeatInterval), ("BatteryInterval", BatteryInterval), ("DeviceInfoInterval", DeviceInfoInterval) })
            if (value <= TimeSpan.Zero) throw new ArgumentException($"Agent:{name} must be positive.");
        if (PublishWindow is < 1 or > 1000) throw new ArgumentException("Agent:PublishWindow must be between 1 and 1000.");
        if (RepublishAfter <= TimeSpan.Zero) throw new ArgumentException("Agent:RepublishAfter must be positive.");
    }
}
