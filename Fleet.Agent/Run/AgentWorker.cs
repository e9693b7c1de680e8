using Fleet.Agent.Core;
using Fleet.Agent.Core.Probes;
using Fleet.Agent.Core.Probes.Adb;
using Fleet.Agent.Core.Probes.Simulated;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Run;

/// <summary>Hosts one <see cref="HeadsetAgent"/> for the lifetime of the program; a clean stop flushes and says goodbye.</summary>
internal sealed class AgentWorker(IOptions<AgentOptions> agentOptions, IOptions<RunOptions> runOptions, ILoggerFactory loggers, TimeProvider time)
    : IHostedService, IAsyncDisposable
{
    private HeadsetAgent? _agent;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = agentOptions.Value;
        var dataDirectory = Path.Combine("data", "agent-" + options.HeadsetId);
        if (string.IsNullOrEmpty(options.OutboxPath)) options.OutboxPath = Path.Combine(dataDirectory, "outbox.db");
        options.StatusFilePath ??= Path.Combine(dataDirectory, "status.json");
        _agent = new HeadsetAgent(options, CreateProbes(options.HeadsetId), loggers, time);
        await _agent.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_agent is not null) await _agent.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
    }

    private AgentProbes CreateProbes(string headsetId)
    {
        var run = runOptions.Value;
        switch (run.Probes.ToLowerInvariant())
        {
            case "adb":
                var serial = run.Adb.Serial ?? throw new InvalidOperationException("Agent:Adb:Serial is required with Agent:Probes=adb (see 'adb devices').");
                var adb = new AdbHeadsetProbe(serial, loggers.CreateLogger("Fleet.Agent.Adb"), adbPath: run.Adb.Path);
                return new AgentProbes(adb, adb);
            case "simulated":
                // A headset that stays on its charging dock: battery, device info and heartbeats, no sessions.
                return new SimulatedDevice(SimulatedModel.For(run.SimulatedModel), "SIM-" + headsetId, 1, time, new Random()).Probes;
            default:
                throw new InvalidOperationException($"Agent:Probes is '{run.Probes}'; use 'simulated' or 'adb'.");
        }
    }
}
