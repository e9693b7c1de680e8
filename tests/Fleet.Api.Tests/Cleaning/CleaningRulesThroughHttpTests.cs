using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Cleaning;

/// <summary>The cleaning rules of product.md as users meet them through the API.</summary>
public sealed class CleaningRulesThroughHttpTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AfterContactPrecautionsOnlyASporicidalProductMayBeUsed()
    {
        await _app.CleanAsync("HS-0001");
        var session = await _app.AssignAsync("HS-0001", precautions: ["contact"]);
        await _app.EndAsync(session.Id);

        var nurse = await _app.ClientAs("nurse");
        var quat = await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe"));
        await quat.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "sporicidal_required");
        (await _app.HeadsetAsync("HS-0001")).SporicidalRequired.ShouldBeTrue();

        var verdict = await _app.CleanAsync("HS-0001", "hypochlorite-wipe");
        verdict.Valid.ShouldBeTrue();
        verdict.SporicidalRequired.ShouldBeTrue();
        (await _app.HeadsetAsync("HS-0001")).SporicidalRequired.ShouldBeFalse();
    }

    [Fact]
    public async Task ReplacingACleaningInProgressRecordsWhoReplacedItAndTheirReason()
    {
        var nurse = await _app.ClientAs("nurse");
        var first = await (await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe"))).Read<CleaningStarted>();
        var biomed = await _app.ClientAs("biomed");
        var second = await (await biomed.Post("/api/v1/headsets/HS-0001/cleanings",
            new StartCleaningRequest("peroxide-wipe", "Wipe dried out before the contact time"))).Read<CleaningStarted>();

        (await biomed.Get<CleaningView>($"/api/v1/cleanings/{first.Id}")).Status.ShouldBe("Abandoned");
        (await _app.HeadsetAsync("HS-0001")).ActiveCleaningId.ShouldBe(second.Id);
        var audit = await (await _app.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&action=cleaning.abandoned");
        var abandoned = audit.ShouldHaveSingleItem();
        abandoned.Actor.ShouldBe("user:biomed");
        abandoned.Reason.ShouldBe("Superseded by a new cleaning: Wipe dried out before the contact time");
    }

    [Fact]
    public async Task AReplaceReasonLongerThan500CharactersIsRefusedNamingTheField()
    {
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("quat-wipe", new string('x', 501)));
        await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        (await _app.HeadsetAsync("HS-0001")).ActiveCleaningId.ShouldBeNull();
    }

    [Fact]
    public async Task AProductTheMakerDoesNotAllowIsRefusedBeforeTheCleaningStarts()
    {
        // HS-0001 is a Quest 3: no alcohol on the lenses.
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/cleanings", new StartCleaningRequest("alcohol-wipe"));
        await r.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "product_not_allowed_for_model");
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
    }

    [Fact]
    public async Task ACleaningLogged71HoursLateIsAcceptedPlacedAtItsRealTimeAndMarkedLate()
    {
        _ = _app.CreateClient(); // the app (and its seeded headsets) starts now
        _app.Time.Advance(TimeSpan.FromHours(80));
        var now = _app.Time.GetUtcNow();
        var nurse = await _app.ClientAs("nurse");
        var started = now.AddHours(-71);
        var r = await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log",
            new LogCleaningRequest("quat-wipe", started, started.AddMinutes(3), false, "Paper log from the night shift.", null));
        await r.ShouldBe(HttpStatusCode.Created);
        var logged = await r.Read<CleaningView>();
        logged.Valid.ShouldBeTrue();
        logged.Late.ShouldBeTrue();
        logged.CompletedAt.ShouldBe(started.AddMinutes(3));

        // Placed at its real time: the 24 h hang time ran out long ago.
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Expired);
        var audit = await (await _app.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?action=cleaning.logged");
        audit.Single().Late.ShouldBeTrue();
        audit.Single().OccurredAt.ShouldBe(started.AddMinutes(3));
    }

    [Fact]
    public async Task ACleaningLoggedMoreThan72HoursLateIsRefusedAndNothingIsStored()
    {
        _ = _app.CreateClient();
        _app.Time.Advance(TimeSpan.FromHours(100));
        var started = _app.Time.GetUtcNow().AddHours(-73);
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log",
            new LogCleaningRequest("quat-wipe", started, started.AddMinutes(3), false, null, null));
        await r.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "late_entry_window_exceeded");
        (await nurse.Get<List<CleaningView>>("/api/v1/headsets/HS-0001/cleanings")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ALoggedCleaningThatWasTooShortIsStoredAsInvalidWithItsReasonAndLeavesTheHeadsetDirty()
    {
        var now = _app.Time.GetUtcNow();
        var nurse = await _app.ClientAs("nurse");
        var r = await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log",
            new LogCleaningRequest("quat-wipe", now.AddMinutes(-2), now.AddMinutes(-1), false, null, null));
        await r.ShouldBe(HttpStatusCode.Created);
        var view = await r.Read<CleaningView>();
        view.Valid.ShouldBeFalse();
        view.Problems.Select(p => p.Code).ShouldBe(["contact_time_not_met"]);
        (await _app.HeadsetAsync("HS-0001")).Summary.Hygiene.ShouldBe(HygieneStates.Dirty);
    }

    [Fact]
    public async Task CleanStatusExpiresAfterTheHangTimeAndAPolicyChangeAppliesAtOnce()
    {
        await _app.CleanAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromHours(23));
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();

        var infection = await _app.ClientAs("infection");
        var policy = await infection.Get<WardPolicyView>("/api/v1/wards/paediatrics/policy");
        policy.HangTimeMinutes.ShouldBe(24 * 60);
        var put = await infection.Put("/api/v1/wards/paediatrics/policy", policy with { HangTimeMinutes = 12 * 60 });
        await put.ShouldBe(HttpStatusCode.OK);

        var readiness = await _app.ReadinessAsync("HS-0001");
        readiness.Hygiene.ShouldBe(HygieneStates.Expired);
        readiness.Reasons.Select(r => r.Code).ShouldBe(["not_clean"]);
    }

    [Fact]
    public async Task TheCleaningQueuePutsTheMostUrgentFirstWithDueAndOverdueTimes()
    {
        // All 12 seeded headsets became dirty at start; dirty HS-0001 again later by using it.
        await _app.CleanAsync("HS-0001");
        var s = await _app.AssignAsync("HS-0001");
        _app.Time.Advance(TimeSpan.FromMinutes(40));
        await _app.EndAsync(s.Id);

        var queue = await (await _app.ClientAs("nurse")).Get<List<CleaningQueueItem>>("/api/v1/cleaning-queue?ward=paediatrics");
        queue.Count.ShouldBe(6);
        queue.Last().HeadsetId.ShouldBe("HS-0001");
        queue.Last().Overdue.ShouldBeFalse();
        queue.First().Overdue.ShouldBeTrue();
        queue.Select(q => q.DueAt).ShouldBeInOrder();
    }

    [Fact]
    public async Task AnExpiredHeadsetMarkedDirtyStaysDueFromTheMomentItExpired()
    {
        await _app.CleanAsync("HS-0001");
        var expiry = _app.Time.GetUtcNow().AddHours(24);
        _app.Time.Advance(TimeSpan.FromHours(30));
        var nurse = await _app.ClientAs("nurse");
        await (await nurse.Post("/api/v1/headsets/HS-0001/dirty", new MarkDirtyRequest("Found on a patient's bed."))).ShouldBe(HttpStatusCode.OK);

        var item = (await nurse.Get<List<CleaningQueueItem>>("/api/v1/cleaning-queue")).Single(q => q.HeadsetId == "HS-0001");
        item.NeedsCleaningSince.ShouldBe(expiry);
        item.Overdue.ShouldBeTrue();
        var audit = await (await _app.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&action=hygiene.expired");
        audit.Single().Actor.ShouldBe("system:hang-time");
        audit.Single().OccurredAt.ShouldBe(expiry);
    }

    [Fact]
    public async Task ACorrectionThatFindsTheCleaningInvalidMakesTheHeadsetNeedCleaningAgain()
    {
        var nurse = await _app.ClientAs("nurse");
        _app.Time.Advance(TimeSpan.FromMinutes(15)); // the cleaning below happened after the headset was registered
        var now = _app.Time.GetUtcNow();
        var logged = await (await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log",
            new LogCleaningRequest("quat-wipe", now.AddMinutes(-10), now.AddMinutes(-7), false, null, null))).Read<CleaningView>();
        (await _app.ReadinessAsync("HS-0001")).Ready.ShouldBeTrue();

        // The paper log said 3 minutes; the supervisor finds it was 30 seconds.
        var correction = await nurse.Post("/api/v1/headsets/HS-0001/cleanings/log",
            new LogCleaningRequest("quat-wipe", now.AddMinutes(-10), now.AddMinutes(-9.5), false, "Corrected from the supervisor's check.", logged.Id));
        await correction.ShouldBe(HttpStatusCode.Created);
        (await correction.Read<CleaningView>()).Valid.ShouldBeFalse();

        var readiness = await _app.ReadinessAsync("HS-0001");
        readiness.Ready.ShouldBeFalse();
        readiness.Hygiene.ShouldBe(HygieneStates.Dirty);
        var audit = await (await _app.ClientAs("infection")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0001&action=hygiene.clean_revoked");
        audit.Single().Actor.ShouldBe("user:nurse");
    }
}
