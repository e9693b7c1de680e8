using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Stories;

/// <summary>The foundation story of issue 2, end to end through HTTP over a real SQLite file.</summary>
public sealed class HeadsetLifecycleStoryTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task NewlyRegisteredHeadsetIsDirtyAndAssignmentIsRefusedWithNotClean()
    {
        var biomed = await _app.ClientAs("biomed");
        var created = await biomed.Post("/api/v1/headsets", new RegisterHeadsetRequest("SN-NEW-1", "VR-NEW-1", "quest-3", "paediatrics"));
        await created.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Read<IdResponse>()).Id;
        created.Headers.Location!.ToString().ShouldBe($"/api/v1/headsets/{id}");

        (await _app.HeadsetAsync(id)).Summary.Hygiene.ShouldBe(HygieneStates.Dirty);

        var scheduler = await _app.ClientAs("scheduler");
        var refused = await scheduler.Post("/api/v1/sessions", new AssignRequest(id, "MRN-1", "paediatrics", 30, null));
        var problem = await refused.ShouldBeProblem(HttpStatusCode.Conflict, "not_clean");
        problem.GetProperty("reasons")[0].GetProperty("message").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task CleaningShorterThanTheContactTimeIsRefusedWithContactTimeNotMet()
    {
        var nurse = await _app.ClientAs("nurse");
        var started = await (await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe"))).Read<CleaningStarted>();
        started.ContactSeconds.ShouldBe(120);
        started.EarliestCompletion.ShouldBe(started.StartedAt.AddSeconds(120));

        _app.Time.Advance(TimeSpan.FromSeconds(119));
        var early = await nurse.Post($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null));
        await early.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "contact_time_not_met");

        // Refusal changed nothing: still being cleaned, and the same cleaning completes once the time is up.
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Cleaning);
        _app.Time.Advance(TimeSpan.FromSeconds(1));
        var done = await nurse.Post($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null));
        await done.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ValidCleaningMakesTheHeadsetReadyAndAssignmentSucceeds()
    {
        var verdict = await _app.CleanAsync("HS-0001");
        verdict.Valid.ShouldBeTrue();
        verdict.Status.ShouldBe("Valid");

        var readiness = await _app.ReadinessAsync("HS-0001");
        readiness.Ready.ShouldBeTrue();
        readiness.Hygiene.ShouldBe(HygieneStates.Clean);
        readiness.Warnings.Select(w => w.Code).ShouldContain("battery_unknown");

        var session = await _app.AssignAsync("HS-0001");
        session.HeadsetId.ShouldBe("HS-0001");
        session.Warnings.Select(w => w.Code).ShouldContain("battery_unknown");
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.InUse);
    }

    [Fact]
    public async Task SecondAssignmentOfAHeadsetInUseGetsInUse()
    {
        await _app.CleanAsync("HS-0001");
        await _app.AssignAsync("HS-0001", "MRN-1");

        var scheduler = await _app.ClientAs("scheduler");
        var second = await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "MRN-2", "paediatrics", 30, null));
        var problem = await second.ShouldBeProblem(HttpStatusCode.Conflict, "in_use");
        problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ShouldBe(["in_use"]);
    }

    [Fact]
    public async Task EndingTheSessionMakesTheHeadsetDirtyAndCountsIt()
    {
        await _app.CleanAsync("HS-0001");
        var session = await _app.AssignAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromMinutes(25));

        var ended = await _app.EndAsync(session.Id);
        ended.EndedAt.ShouldBe(_app.Time.GetUtcNow());
        ended.WearSeconds.ShouldBe(25 * 60);

        var detail = await _app.HeadsetAsync("HS-0001");
        detail.Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
        detail.Summary.NeedsCleaningSince.ShouldBe(_app.Time.GetUtcNow());
        detail.Summary.CleaningDueAt.ShouldBe(_app.Time.GetUtcNow().AddMinutes(30));
        detail.Counters.Sessions.ShouldBe(1);
        detail.Counters.WearMinutes.ShouldBe(25);
        (await _app.ReadinessAsync("HS-0001")).Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);
    }

    [Fact]
    public async Task MotionSicknessFlagBlocksAssignmentAndOnlyABiomedCanClearIt()
    {
        await _app.CleanAsync("HS-0001");
        var nurse = await _app.ClientAs("nurse");
        var raised = await nurse.Post("/api/v1/headsets/HS-0001/flags", new RaiseFlagRequest("motion_sickness", "Patient dizzy and nauseous."));
        await raised.ShouldBe(HttpStatusCode.Created);
        var flag = await raised.Read<FlagView>();

        var scheduler = await _app.ClientAs("scheduler");
        var blocked = await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "MRN-3", "paediatrics", 30, null));
        await blocked.ShouldBeProblem(HttpStatusCode.Conflict, "motion_sickness_flag");

        var byNurse = await nurse.Post($"/api/v1/flags/{flag.Id}/clear", new ClearFlagRequest("Looks fine to me."));
        await byNurse.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeFalse();

        var biomed = await _app.ClientAs("biomed");
        var cleared = await biomed.Post($"/api/v1/flags/{flag.Id}/clear", new ClearFlagRequest("Lens clean, IPD recalibrated, firmware current."));
        await cleared.ShouldBe(HttpStatusCode.OK);
        var view = await cleared.Read<FlagView>();
        view.Open.ShouldBeFalse();
        view.ClearedBy.ShouldBe("biomed");

        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();
        await (await scheduler.Post("/api/v1/sessions", new AssignRequest("HS-0001", "MRN-3", "paediatrics", 30, null))).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task EveryHoldThatAppliesIsReturnedEachWithASentence()
    {
        var nurse = await _app.ClientAs("nurse");
        await nurse.Post("/api/v1/headsets/HS-0002/flags", new RaiseFlagRequest("damage", "Cracked strap."));
        await nurse.Post("/api/v1/headsets/HS-0002/flags", new RaiseFlagRequest("recall", "Vendor recall 2026-11."));
        var biomed = await _app.ClientAs("biomed");
        await (await biomed.Post("/api/v1/headsets/HS-0002/retire", new RetireRequest("End of life."))).ShouldBe(HttpStatusCode.OK);

        var readiness = await _app.ReadinessAsync("HS-0002");
        readiness.Reasons.Select(r => r.Code).ShouldBe(["not_clean", "damage_flag", "recall", "retired"], ignoreOrder: true);
        readiness.Reasons.ShouldAllBe(r => r.Message.EndsWith('.'));
    }
}
