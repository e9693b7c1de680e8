using System.Net;
using Fleet.Api.Commands;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Mqtt;
using Shouldly;
using static Fleet.Api.Tests.Support.HeadsetInbox;

namespace Fleet.Api.Tests.Commands;

/// <summary>What the API tells headsets: commands that expire, and their results.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task ACommandReachesTheHeadsetWithItsExpiryAndItsResultIsRecorded()
    {
        var (agent, inbox) = await _b.AgentListeningAsync("HS-0003");
        using var _ = agent;
        var biomed = await _b.App.ClientAs("biomed");
        var issued = await biomed.Post("/api/v1/headsets/HS-0003/commands", new CommandRequest("identify", 120));
        await issued.ShouldBe(HttpStatusCode.Accepted);
        var view = await issued.Read<CommandView>();
        view.ExpiresAt.ShouldBe(view.IssuedAt.AddSeconds(120));

        var command = await NextAsync<CommandMessage>(inbox, "/commands", c => c.Id == view.Id);
        command.Command.ShouldBe("identify");
        command.ExpiresAt.ShouldBe(view.ExpiresAt);

        await _b.PublishEventAsync(agent, "HS-0003", 1, EventTypes.CommandResult, new { commandId = view.Id, ok = true, detail = "LED blinked" });
        await Eventually.Async(async () =>
            (await biomed.Get<List<CommandView>>("/api/v1/headsets/HS-0003/commands")).Single().ResultOk == true, "the command result");
        (await biomed.Get<List<CommandView>>("/api/v1/headsets/HS-0003/commands")).Single().ResultDetail.ShouldBe("LED blinked");
    }

    [Fact]
    public async Task AnUnknownCommandIsRefused()
    {
        var biomed = await _b.App.ClientAs("biomed");
        var r = await biomed.Post("/api/v1/headsets/HS-0003/commands", new CommandRequest("self-destruct", null));
        await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}
