using Fleet.Api.Tests.Support;
using Fleet.Contracts.Mqtt;
using Shouldly;
using static Fleet.Api.Tests.Support.HeadsetInbox;

namespace Fleet.Api.Tests.Broker;

/// <summary>What the API tells headsets: retained state whenever readiness changes.</summary>
public sealed class HeadsetStateTests : IAsyncLifetime
{
    private BrokerApp _b = null!;

    public async Task InitializeAsync() => _b = await BrokerApp.StartAsync();

    public async Task DisposeAsync() => await _b.DisposeAsync();

    [Fact]
    public async Task TheRetainedStateFollowsReadinessAndSaysWhy()
    {
        var (agent, inbox) = await _b.AgentListeningAsync("HS-0001");
        using var _ = agent;
        var dirty = await NextAsync<StateMessage>(inbox, "/state", s => true);
        dirty.Ready.ShouldBeFalse();
        dirty.Hygiene.ShouldBe("Dirty");
        dirty.Reasons.Select(r => r.Code).ShouldContain("not_clean");

        await _b.App.CleanAsync("HS-0001");
        var clean = await NextAsync<StateMessage>(inbox, "/state", s => s.Ready);
        clean.Hygiene.ShouldBe("Clean");
        clean.Reasons.ShouldBeEmpty();

        var session = await _b.App.AssignAsync("HS-0001");
        var inUse = await NextAsync<StateMessage>(inbox, "/state", s => s.Hygiene == "InUse");
        inUse.SessionId.ShouldBe(session.Id);
        inUse.Reasons.Select(r => r.Code).ShouldBe(["in_use"]);
    }

    [Fact]
    public async Task AnOverdueCleaningMakesTheStateSayNeedsCleaning()
    {
        var (agent, inbox) = await _b.AgentListeningAsync("HS-0002");
        using var _ = agent;
        await NextAsync<StateMessage>(inbox, "/state", s => true);
        _b.App.Time.Advance(TimeSpan.FromMinutes(31)); // seeded Dirty at start; due after 30 min
        var overdue = await NextAsync<StateMessage>(inbox, "/state", s => s.Reasons.Any(r => r.Code == "cleaning_overdue"));
        overdue.Reasons[0].Message.ShouldStartWith("Needs cleaning");
    }
}
