using System.Globalization;
using Fleet.Agent.Core;
using Fleet.Agent.Core.Events;
using Fleet.Agent.Simulation;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Processes;
using Shouldly;

namespace Fleet.Agent.Tests.EndToEnd;

/// <summary>
/// The real thing: Mosquitto with Fleet's settings, dynamic security and persistence (so the API's session and queue
/// survive a graceful broker restart), and the built API as a separate process provisioning agents' accounts.
/// </summary>
internal sealed class FleetStack : IAsyncDisposable
{
    private const string AdminUser = "broker-admin";
    private const string AdminPassword = "broker-admin-secret";
    private const string ApiPassword = "api-secret-for-agent-tests";

    private readonly TempDirectory _data = new();

    private FleetStack(MosquittoBroker broker, string baseUrl)
    {
        Broker = broker;
        BaseUrl = baseUrl;
        Staff = new StaffClients(new Uri(baseUrl), "fleet");
    }

    public MosquittoBroker Broker { get; }
    public string BaseUrl { get; }
    public ChildProcess Api { get; private set; } = null!;
    /// <summary>The API as the simulator's development users (biomed, scheduler, nurse).</summary>
    public StaffClients Staff { get; }

    public static async Task<FleetStack> StartAsync(IReadOnlyDictionary<string, string>? apiSettings = null)
    {
        var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false, DynamicSecurityAdmin = (AdminUser, AdminPassword), Persistence = true,
            ExtraConfig = ["max_inflight_messages 1000", "max_queued_messages 0"],
        });
        var stack = new FleetStack(broker, $"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = stack.BaseUrl, ["Fleet__DataDirectory"] = stack._data.Path,
            ["Fleet__Mqtt__Host"] = broker.Host, ["Fleet__Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Fleet__Mqtt__Password"] = ApiPassword, ["Fleet__Mqtt__AdminUsername"] = AdminUser, ["Fleet__Mqtt__AdminPassword"] = AdminPassword,
            ["Fleet__Mqtt__ClientId"] = "fleet-api-agent-tests", ["Fleet__Jobs__Enabled"] = "false",
            ["Fleet__Mqtt__ConfirmIntervalMilliseconds"] = "200",
        };
        foreach (var (k, v) in apiSettings ?? new Dictionary<string, string>()) environment[k] = v;
        stack.Api = ChildProcess.StartDotnet("Fleet.Api", RepositoryPaths.Program("Fleet.Api"), environment);
        await stack.Api.WaitForHttpOkAsync(stack.BaseUrl + "/health/ready");
        return stack;
    }

    public async Task<string> EnrollAsync(string headsetId) => (await Staff.Biomed.EnrollAsync(headsetId)).Password;

    /// <summary>Fast telemetry (a stream of events to interrupt), short reconnect backoff, the outbox in <paramref name="dir"/>.</summary>
    public AgentOptions AgentOptions(string headsetId, string password, TempDirectory dir) => new()
    {
        HeadsetId = headsetId, Password = password, BrokerHost = Broker.Host, BrokerPort = Broker.Port,
        OutboxPath = dir.File(headsetId + ".outbox.db"), StatusFilePath = dir.File(headsetId + ".status.json"),
        HeartbeatInterval = TimeSpan.FromMilliseconds(40), BatteryInterval = TimeSpan.FromMilliseconds(40),
        MaxReconnectDelay = TimeSpan.FromSeconds(2), StatusRefreshInterval = TimeSpan.FromMilliseconds(200), DepthLogInterval = null,
        RepublishAfter = TimeSpan.FromSeconds(3), StopFlushTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The same, as the environment of a <c>Fleet.Agent run</c> process.</summary>
    public Dictionary<string, string> AgentEnvironment(AgentOptions o) => new()
    {
        ["Agent__HeadsetId"] = o.HeadsetId, ["Agent__Password"] = o.Password!, ["Agent__BrokerHost"] = o.BrokerHost,
        ["Agent__BrokerPort"] = o.BrokerPort!.Value.ToString(CultureInfo.InvariantCulture), ["Agent__OutboxPath"] = o.OutboxPath,
        ["Agent__StatusFilePath"] = o.StatusFilePath!, ["Agent__HeartbeatInterval"] = o.HeartbeatInterval.ToString("c"),
        ["Agent__BatteryInterval"] = o.BatteryInterval.ToString("c"), ["Agent__MaxReconnectDelay"] = o.MaxReconnectDelay.ToString("c"),
        ["Agent__Probes"] = "simulated",
    };

    public async Task<HeadsetIngestStats?> StatsAsync(string headsetId) =>
        (await Staff.Biomed.IngestStatsAsync()).Headsets.SingleOrDefault(h => h.HeadsetId == headsetId);

    public Task<HeadsetIngestStats?> WaitUntilStoredAsync(string headsetId, long atLeast, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => StatsAsync(headsetId), s => s?.Stored >= atLeast, $"{headsetId}: {atLeast} events stored", timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Every event the agent produced is stored, once, and the API saw no gap in its seq.</summary>
    public async Task ShouldHaveStoredExactlyOnceAsync(string headsetId, long produced)
    {
        var stats = (await WaitUntilStoredAsync(headsetId, produced))!;
        await Task.Delay(500); // anything more (a duplicate counted as stored, say) would show up by now
        stats = (await StatsAsync(headsetId))!;
        stats.Stored.ShouldBe(produced, $"{headsetId}: events stored");
        stats.LastSeq.ShouldBe(produced, $"{headsetId}: last seq");
        stats.MissingCount.ShouldBe(0);
        stats.Gaps.ShouldBeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Broker.DisposeAsync();
        Staff.Dispose();
        _data.Dispose();
    }
}
