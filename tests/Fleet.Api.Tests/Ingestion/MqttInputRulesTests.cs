using System.Diagnostics;
using System.Globalization;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The control-character rule of REST holds over MQTT too (the same Fleet.Domain rule), with mosquitto_pub as the agent.</summary>
public sealed class MqttInputRulesTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task ControlCharactersInAnEventAreDeadLetteredNamingTheFieldAndFreeTextKeepsLineBreaks()
    {
        var e = await _b.EnrollAsync("HS-0006");
        var at = _b.App.Time.GetUtcNow();
        var topic = _b.Topics.Events("HS-0006");
        await PublishAsync(e, topic, BrokerApp.Event("HS-0006", 1, EventTypes.ComfortReport, new { fms = 3, note = "dizzy\u0000" }, at));
        await PublishAsync(e, topic, BrokerApp.Event("HS-0006", 2, EventTypes.DeviceInfo, new { model = "Quest\u001b[2J", serial = "S1" }, at));
        await PublishAsync(e, topic, BrokerApp.Event("HS-0006", 3, EventTypes.SessionStarted, new { app = "com.vendor\ntherapy" }, at));
        await PublishAsync(e, topic, BrokerApp.Event("HS-0006", 4, EventTypes.ComfortReport, new { fms = 2, note = "dizzy\r\nthen fine\tok" }, at));

        var stats = await _b.WaitForStatsAsync(s => s.Received == 4, "all four events");
        stats.Stored.ShouldBe(1);
        var letters = await (await _b.App.ClientAs("biomed")).Get<List<DeadLetterView>>("/api/v1/dead-letters?headsetId=HS-0006");
        letters.Count.ShouldBe(3);
        letters.ShouldAllBe(l => l.Reason == "invalid_field");
        letters.Select(l => l.Detail).OrderBy(d => d).ShouldBe([
            "'data.app' must not contain control characters.",
            "'data.model' must not contain control characters.",
            "'data.note' must not contain control characters other than tabs and line breaks.",
        ], ignoreOrder: true);
    }

    private async Task PublishAsync(EnrollmentView e, string topic, string payload)
    {
        var psi = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-h", _b.Broker.Host, "-p", _b.Broker.Port.ToString(CultureInfo.InvariantCulture), "-i", e.ClientId,
                "-u", e.Username, "-P", e.Password, "-q", "1", "-t", topic, "-m", payload },
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("mosquitto_pub did not start; run infra/install.sh test.");
        await p.WaitForExitAsync();
        p.ExitCode.ShouldBe(0, await p.StandardError.ReadToEndAsync());
    }
}
