using System.Net.Http.Json;
using Fleet.Agent.Core.Shown;
using Fleet.Contracts;
using Fleet.Testing;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace Fleet.Agent.Tests.Shown;

public sealed class ShownStateTests
{
    [Fact]
    public async Task UntilFleetHasSpokenTheHeadsetSaysDoNotUse()
    {
        await using var h = new AgentHarness();

        h.Agent.Shown.Ready.ShouldBeFalse();
        h.Agent.Shown.Message.ShouldBe("DO NOT USE — Fleet has not confirmed its state yet.");
    }

    [Fact]
    public async Task TheHeadsetShowsFleetsVerdictAndLogsEveryChange()
    {
        await using var h = new AgentHarness();
        var changes = new List<ShownState>();
        h.Agent.ShownChanged += changes.Add;

        await h.SendStateAsync(AgentHarness.Dirty(h.Time.GetUtcNow()));
        h.Agent.Shown.Message.ShouldBe("DO NOT USE — It is dirty and must be cleaned before the next patient.");
        h.Agent.Shown.Hygiene.ShouldBe("Dirty");

        await h.SendStateAsync(AgentHarness.Ready(h.Time.GetUtcNow().AddMinutes(1)));
        h.Agent.Shown.Ready.ShouldBeTrue();
        h.Agent.Shown.Verdict.ShouldBe(ShownState.ReadyVerdict);

        changes.Select(c => c.Message).ShouldBe(["DO NOT USE — It is dirty and must be cleaned before the next patient.", "READY"]);
        h.Log.AtLeast(LogLevel.Information).ShouldContain("HS-0001: DO NOT USE — It is dirty and must be cleaned before the next patient.");
        h.Log.AtLeast(LogLevel.Information).ShouldContain("HS-0001: READY");
    }

    [Fact]
    public async Task AnOlderStateDeliveredLateDoesNotOverwriteANewerOne()
    {
        await using var h = new AgentHarness();
        var now = h.Time.GetUtcNow();

        await h.SendStateAsync(AgentHarness.Ready(now));
        await h.SendStateAsync(AgentHarness.Dirty(now.AddSeconds(-5)));

        h.Agent.Shown.Ready.ShouldBeTrue();
    }

    [Fact]
    public async Task TheLastStateIsShownAgainAfterARestartBeforeFleetIsReachable()
    {
        using var dir = new TempDirectory();
        await using (var first = new AgentHarness(dir))
        {
            await first.SendStateAsync(AgentHarness.Dirty(first.Time.GetUtcNow()));
        }

        await using var second = new AgentHarness(dir);
        second.Agent.Shown.Message.ShouldBe("DO NOT USE — It is dirty and must be cleaned before the next patient.");
        second.Agent.Shown.Online.ShouldBeFalse();
    }

    [Fact]
    public async Task TheStatusFileSaysReadyOrDoNotUseAndWhy()
    {
        await using var h = new AgentHarness(configure: o => o.StatusFilePath = null);
        var path = h.Directory.File("status/status.json");
        await using var withFile = new AgentHarness(configure: o => o.StatusFilePath = path);

        await withFile.SendStateAsync(AgentHarness.Dirty(withFile.Time.GetUtcNow()));

        var status = StatusFile.Read(path)!;
        status.Ready.ShouldBeFalse();
        status.Verdict.ShouldBe("do_not_use");
        status.Reasons.ShouldHaveSingleItem().Code.ShouldBe("not_clean");
        status.HeadsetId.ShouldBe("HS-0001");
        File.Exists(path + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public async Task TheStatusEndpointServesTheShownStateOnLoopback()
    {
        var port = FreePort.Next();
        await using var h = new AgentHarness(configure: o => o.StatusHttpPort = port);
        await h.Agent.StartAsync();
        await h.SendStateAsync(AgentHarness.Ready(h.Time.GetUtcNow()));

        using var http = new HttpClient();
        var status = await http.GetFromJsonAsync<ShownState>($"http://127.0.0.1:{port}/status", FleetJson.Options);

        status!.Ready.ShouldBeTrue();
        status.Message.ShouldBe("READY");
        status.Online.ShouldBeFalse();
        (await http.GetAsync($"http://127.0.0.1:{port}/other")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
