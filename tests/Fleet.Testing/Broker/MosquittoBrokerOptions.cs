namespace Fleet.Testing.Broker;

/// <summary>How to configure a test Mosquitto instance.</summary>
public sealed record MosquittoBrokerOptions
{
    /// <summary>Plain MQTT port on 127.0.0.1; 0 picks a free one (kept across restarts).</summary>
    public int Port { get; init; }

    /// <summary>Whether clients may connect without credentials.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>User name / password pairs written to a password file with <c>mosquitto_passwd -b</c>.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra global configuration lines, e.g. <c>max_inflight_messages 1000</c>.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];

    /// <summary>Adds a TLS listener when set.</summary>
    public MosquittoTlsOptions? Tls { get; init; }

    /// <summary>Keep sessions, subscriptions and queued messages across a graceful restart (saved on SIGTERM).</summary>
    public bool Persistence { get; init; }

    /// <summary>Where the persistence database goes; defaults to the broker's temporary directory.</summary>
    public string? PersistenceDirectory { get; init; }

    /// <summary>
    /// Enables Mosquitto's dynamic-security plugin with this admin account; configure clients, roles and ACLs with
    /// <see cref="MosquittoBroker.DynamicSecurityAsync"/>. By default it denies every subscription (SUBACK 0x80) and
    /// publish until a role allows it. Password-file users do not apply while it is on.
    /// </summary>
    public (string User, string Password)? DynamicSecurityAdmin { get; init; }

    /// <summary>How long to wait for the broker to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The broker executable.</summary>
    public string ExecutablePath { get; init; } = "/usr/sbin/mosquitto";
}

/// <summary>A TLS listener: PEM files for the CA, the server certificate and its key.</summary>
/// <param name="CaFile">CA certificate(s) used to verify client certificates.</param>
/// <param name="CertificateFile">Server certificate.</param>
/// <param name="KeyFile">Server private key (unencrypted PEM).</param>
/// <param name="RequireClientCertificate">Demand a client certificate signed by the CA.</param>
/// <param name="Port">TLS port; 0 picks a free one.</param>
public sealed record MosquittoTlsOptions(string CaFile, string CertificateFile, string KeyFile, bool RequireClientCertificate = false, int Port = 0);
