using System.Text.Json;
using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Fleet.Testing.Time;

namespace Fleet.Agent.Tests.Shown;

/// <summary>Probes whose readings the test sets, counting how often they are read.</summary>
internal sealed class FakeProbes : IBatteryProbe, IDeviceInfoProbe, IHeadsetIndicator
{
    public int BatteryReads;
    public int Identified;
    public BatteryData? Battery { get; set; } = new(77, true, 30.5, null, null);

    public ValueTask<BatteryData?> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref BatteryReads);
        return ValueTask.FromResult(Battery);
    }

    ValueTask<DeviceInfoData?> IDeviceInfoProbe.ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<DeviceInfoData?>(new DeviceInfoData("Quest 3", "SN-1", "72.0", "Android 12", 50_000, -50));

    public ValueTask<string> IdentifyAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Identified);
        return ValueTask.FromResult("beeped three times");
    }

    public AgentProbes AsProbes(ISessionProbe? sessions = null) => new(this, this) { Indicator = this, Sessions = sessions };
}

/// <summary>An agent with no broker to talk to (a closed port): state and commands are fed in as the broker would deliver them.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string HeadsetId = "HS-0001";
    public static readonly Topics Topics = new();

    private readonly TempDirectory _dir;
    private readonly bool _ownsDirectory;

    public AgentHarness(TempDirectory? dir = null, Action<AgentOptions>? configure = null, ISessionProbe? sessions = null)
    {
        _ownsDirectory = dir is null;
        _dir = dir ?? new TempDirectory();
        Options = new AgentOptions
        {
            HeadsetId = HeadsetId, BrokerPort = FreePort.Next(), OutboxPath = _dir.File("outbox.db"), StatusRefreshInterval = null,
            MaxReconnectDelay = TimeSpan.FromSeconds(1), StopFlushTimeout = TimeSpan.Zero,
        };
        configure?.Invoke(Options);
        Agent = new HeadsetAgent(Options, Probes.AsProbes(sessions), Log, Time);
    }

    public AgentOptions Options { get; }
    public FakeProbes Probes { get; } = new();
    public ListLogger Log { get; } = new();
    public ManualTimeProvider Time { get; } = new();
    public HeadsetAgent Agent { get; }
    public TempDirectory Directory => _dir;

    public static StateMessage Dirty(DateTimeOffset at) =>
        new(false, HygieneStates.Dirty, [new Reason("not_clean", "It is dirty and must be cleaned before the next patient.")], at);

    public static StateMessage Ready(DateTimeOffset at, Guid? sessionId = null) => new(true, HygieneStates.Clean, [], at) { SessionId = sessionId };

    public Task SendStateAsync(StateMessage state) =>
        Agent.ReceiveAsync(Topics.State(HeadsetId), JsonSerializer.SerializeToUtf8Bytes(state, FleetJson.Options), CancellationToken.None);

    public async Task<Guid> SendCommandAsync(string command, TimeSpan expiresIn, Guid? id = null)
    {
        var message = new CommandMessage(id ?? Guid.CreateVersion7(), command, Time.GetUtcNow() + expiresIn);
        await Agent.ReceiveAsync(Topics.Commands(HeadsetId), JsonSerializer.SerializeToUtf8Bytes(message, FleetJson.Options), CancellationToken.None);
        return message.Id;
    }

    /// <summary>The events written so far, as (type, data) pairs.</summary>
    public List<(string Type, JsonElement Data)> Events() =>
        Agent.OutboxStore.ReadAfter(0, 10_000).Select(e =>
        {
            using var doc = JsonDocument.Parse(e.Payload);
            return (e.Type, doc.RootElement.GetProperty("data").Clone());
        }).ToList();

    public List<JsonElement> EventsOf(string type) => Events().Where(e => e.Type == type).Select(e => e.Data).ToList();

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        if (_ownsDirectory) _dir.Dispose();
    }
}
