using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Broker;

/// <summary>
/// Each broker account is bound to one client id, so one account cannot take over another's connection by reusing its
/// client id (MQTT hands a client id's session to whoever connects with it last). Clients are Debian's mosquitto_sub and
/// mosquitto_pub, which Fleet did not write.
/// </summary>
public sealed class BrokerIdentityTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task HeadsetBCannotTakeOverHeadsetAsConnectionOrTheApis()
    {
        var a = await _b.EnrollAsync("HS-0001");
        var b = await _b.EnrollAsync("HS-0002");
        a.ClientId.ShouldBe("fleet-agent-HS-0001");

        await using var agentA = Subscriber.Start(_b, a, _b.Topics.Commands("HS-0001"));
        await agentA.WaitForAsync("CONNACK (0)");

        // B's valid credentials with A's client id, with the API's, and with one of its own choosing: all refused at CONNECT.
        foreach (var clientId in new[] { a.ClientId, "fleet-api-test", "headset-b-anything" })
        {
            var (code, output) = await PublishAsync(clientId, b.Username, b.Password, _b.Topics.Status("HS-0002"), """{"online":true}""");
            code.ShouldNotBe(0, $"connecting as {b.Username} with client id {clientId} must be refused");
            output.ShouldContain("not authorised", Case.Insensitive);
        }
        // B with its own client id is fine.
        (await PublishAsync(b.ClientId, b.Username, b.Password, _b.Topics.Status("HS-0002"), """{"online":true}""")).Code.ShouldBe(0);

        // A was never disconnected: it connected once, still gets its commands, and the API still consumes.
        var biomed = await _b.App.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0001/commands", new { command = "identify" })).ShouldBe(System.Net.HttpStatusCode.Accepted);
        await agentA.WaitForAsync("\"command\":\"identify\"");
        agentA.Count("CONNACK").ShouldBe(1, agentA.Output);
        _b.Broker.Log.ShouldNotContain("already connected, closing old connection");
        (await _b.App.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var heartbeat = BrokerApp.Event("HS-0001", 1, Fleet.Contracts.Mqtt.EventTypes.Heartbeat, new { uptimeS = 1, agentVersion = "1" }, _b.App.Time.GetUtcNow());
        (await PublishAsync(a.ClientId, a.Username, a.Password, _b.Topics.Events("HS-0001"), heartbeat)).Code.ShouldBe(0);
        await _b.WaitForStatsAsync(s => s.Stored == 1, "A's event to be stored by the API, still connected");
    }

    [Fact]
    public async Task AHeadsetAccountCannotConnectWithTheApisClientIdEvenWhileTheApiIsConnected()
    {
        var b = await _b.EnrollAsync("HS-0002");
        var (code, _) = await PublishAsync("fleet-api-test", b.Username, b.Password, _b.Topics.Status("HS-0002"), """{"online":true}""");
        code.ShouldNotBe(0);
        // The API's own session is untouched: an event published now is stored.
        (await PublishAsync(b.ClientId, b.Username, b.Password, _b.Topics.Events("HS-0002"),
            BrokerApp.Event("HS-0002", 1, Fleet.Contracts.Mqtt.EventTypes.Heartbeat, new { uptimeS = 1, agentVersion = "1" }, _b.App.Time.GetUtcNow()))).Code.ShouldBe(0);
        await _b.WaitForStatsAsync(s => s.Stored == 1, "the event to be stored");
        _b.Broker.Log.ShouldNotContain("already connected, closing old connection");
    }

    private async Task<(int Code, string Output)> PublishAsync(string clientId, string user, string password, string topic, string payload)
    {
        var psi = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-h", _b.Broker.Host, "-p", _b.Broker.Port.ToString(CultureInfo.InvariantCulture), "-i", clientId,
                "-u", user, "-P", password, "-q", "1", "-t", topic, "-m", payload },
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("mosquitto_pub did not start; run infra/install.sh test.");
        var output = await p.StandardError.ReadToEndAsync() + await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    /// <summary>mosquitto_sub with -d, so every CONNECT/CONNACK it goes through (a reconnect after a takeover, too) is visible.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private Subscriber(Process process) => _process = process;

        public string Output => string.Join('\n', _lines);

        public static Subscriber Start(BrokerApp b, EnrollmentView e, string topic)
        {
            // stdbuf: line-buffered output, or the lines only arrive when mosquitto_sub exits.
            var psi = new ProcessStartInfo("stdbuf")
            {
                ArgumentList = { "-oL", "mosquitto_sub", "-d", "-h", b.Broker.Host, "-p", b.Broker.Port.ToString(CultureInfo.InvariantCulture), "-i", e.ClientId,
                    "-u", e.Username, "-P", e.Password, "-q", "1", "-t", topic, "-k", "5" },
                RedirectStandardError = true, RedirectStandardOutput = true,
            };
            var process = new Process { StartInfo = psi };
            var s = new Subscriber(process);
            process.OutputDataReceived += (_, l) => { if (l.Data is not null) s._lines.Enqueue(l.Data); };
            process.ErrorDataReceived += (_, l) => { if (l.Data is not null) s._lines.Enqueue(l.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return s;
        }

        public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

        public Task WaitForAsync(string text) =>
            Eventually.Async(() => Task.FromResult(Count(text) > 0), $"mosquitto_sub to show {text}", () => Output);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
