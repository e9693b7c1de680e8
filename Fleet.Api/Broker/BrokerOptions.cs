using Fleet.Contracts.Mqtt;

namespace Fleet.Api.Broker;

/// <summary>How the API reaches Mosquitto (section Fleet:Mqtt).</summary>
public sealed class BrokerOptions
{
    public const string Section = "Fleet:Mqtt";

    /// <summary>Ingestion and state publishing run unless turned off (tests of other features turn it off).</summary>
    public bool Enabled { get; set; } = true;
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    public bool UseTls { get; set; }

    /// <summary>CA certificate (PEM) that signed the broker's certificate, for TLS.</summary>
    public string? CaFile { get; set; }
    public string Username { get; set; } = "fleet-api";
    public string? Password { get; set; }

    /// <summary>Stable per instance: the broker keeps this instance's persistent session under it.</summary>
    public string ClientId { get; set; } = "fleet-api-" + Environment.MachineName.ToLowerInvariant();
    public string TopicPrefix { get; set; } = Topics.DefaultPrefix;
    public string SharedGroup { get; set; } = Topics.SharedGroup;

    /// <summary>
    /// Consume through the shared subscription <c>$share/{SharedGroup}/...</c> so that several API instances split the load.
    /// Off by default: the embedded default is one instance, and Mosquitto 2.0.11 persists a plain subscription across a
    /// broker restart but not a shared one, so with it on, events reaching a freshly restarted broker before the API has
    /// subscribed again are dropped by the broker (see README, "Ingestion").
    /// </summary>
    public bool SharedSubscription { get; set; }

    /// <summary>The dynamic-security administrator, used to create and rotate headset credentials (enrollment).</summary>
    public string? AdminUsername { get; set; }
    public string? AdminPassword { get; set; }

    /// <summary>
    /// The socket's send and receive buffers towards the broker. The kernel caps it at net.core.rmem_max/wmem_max
    /// (often 208 KiB; raise those on a busy site); MQTTnet's own default of 8 KiB throttles ingestion.
    /// </summary>
    public int SocketBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Unacknowledged messages the broker may have in flight to the API (MQTT 5 receive maximum).</summary>
    public int ReceiveMaximum { get; set; } = ushort.MaxValue;

    /// <summary>
    /// At most this many messages are committed in one transaction (and acknowledged after it). A batch holds the write
    /// lock while it commits, so this also bounds how long a person's write (an assignment) waits behind ingestion;
    /// past about a thousand, larger batches gained little throughput (the per-batch work is a few queries and a sync).
    /// </summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// When the writer finds fewer than a tenth of <see cref="BatchSize"/> messages waiting, it waits this long for more
    /// before committing (0 turns it off): fewer, larger commits for a few milliseconds of latency.
    /// </summary>
    public int GatherMilliseconds { get; set; } = 5;
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>How long the broker keeps the API's session (and queues events for it) while the API is away (MQTT 5).</summary>
    public int SessionExpirySeconds { get; set; } = 86_400;

    /// <summary>
    /// How often, at most, each headset is told which of its events are committed (mqtt-contract.md, delivery
    /// guarantees); the agent keeps every event until then.
    /// </summary>
    public int ConfirmIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// A gap in a headset's seq numbers that stays open this long while later events keep arriving is taken as lost for
    /// good (an event deleted before confirmations existed, or telemetry thinned by a full outbox): the confirmation moves
    /// past it. The gap itself stays reported in the ingest statistics.
    /// </summary>
    public int GapGiveUpSeconds { get; set; } = 600;

    /// <summary>Commands expire after this unless the caller says otherwise.</summary>
    public int CommandTtlSeconds { get; set; } = 300;

    public Topics Topics => new(TopicPrefix);
}
