using System.Net;
using Fleet.Api.Headsets;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shouldly;

namespace Fleet.Api.Tests.Headsets;

/// <summary>
/// Readiness is answered from the last committed context of a headset; these read it, change the headset or its ward,
/// and read again at once: the answer must follow every commit, never the context kept from before it.
/// </summary>
public sealed class ReadinessSnapshotTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ReadinessFollowsEachChangeOfTheHeadsetTheMomentItIsCommitted()
    {
        await _app.CleanAsync("HS-0001");
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue(); // the second is answered from memory

        var session = await _app.AssignAsync("HS-0001");
        var inUse = await _app.ReadinessAsync("HS-0001");
        inUse.Reasons.Select(r => r.Code).ShouldContain("in_use");

        await _app.EndAsync(session.Id);
        var dirty = await _app.ReadinessAsync("HS-0001");
        dirty.Hygiene.ShouldBe(HygieneStates.Dirty);
        dirty.Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);

        await _app.CleanAsync("HS-0001");
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();
        var nurse = await _app.ClientAs("nurse");
        await (await nurse.Post("/api/v1/headsets/HS-0001/flags", new RaiseFlagRequest("motion_sickness", "Dizzy after the session")))
            .ShouldBe(HttpStatusCode.Created);
        (await _app.ReadinessAsync("HS-0001")).Reasons.Select(r => r.Code).ShouldBe(["motion_sickness_flag"]);
    }

    [Fact]
    public async Task ReadinessFollowsAChangeOfTheWardsPolicyAtOnce()
    {
        await _app.CleanAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromMinutes(2));
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue(); // kept, with the ward's 12 h hang time

        var infection = await _app.ClientAs("infection");
        await (await infection.Put("/api/v1/wards/paediatrics/policy", new WardPolicyRequest(1, 30, "06:00", 72, 15, 10, false)))
            .ShouldBe(HttpStatusCode.OK);

        var expired = await _app.ReadinessAsync("HS-0001");
        expired.Hygiene.ShouldBe(HygieneStates.Expired);
        expired.Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);
    }

    [Fact]
    public async Task AKeptAnswerCreatesNoReadModelOrDatabaseContext()
    {
        // Readiness is asked thousands of times a second under load; creating the read model (and the EF context under it)
        // per request was most of its cost beyond an empty endpoint (infra/bench/gate.sh), so only a miss may create one.
        var created = 0;
        using var app = new FleetApp().WithServices(s => s.Replace(ServiceDescriptor.Scoped(sp =>
        {
            Interlocked.Increment(ref created);
            return ActivatorUtilities.CreateInstance<HeadsetReadModel>(sp);
        })));
        (await app.ReadinessAsync("HS-0002")).Hygiene.ShouldBe(HygieneStates.Dirty); // read, and kept
        var afterFirst = Volatile.Read(ref created);
        afterFirst.ShouldBeGreaterThan(0);

        for (var i = 0; i < 5; i++) (await app.ReadinessAsync("HS-0002")).Hygiene.ShouldBe(HygieneStates.Dirty);

        Volatile.Read(ref created).ShouldBe(afterFirst);
    }
}
