using System.Net;
using Fleet.Contracts.Api;

namespace Fleet.Api.Tests.Support;

/// <summary>The everyday steps of the ward, through the public API, for tests that need them as set-up.</summary>
public static class Steps
{
    public static async Task<CleaningView> CleanAsync(this FleetApp app, string headsetId, string productId = "quat-wipe")
    {
        var nurse = await app.ClientAs("nurse");
        var start = await nurse.Post($"/api/v1/headsets/{headsetId}/cleanings", new StartCleaningRequest(productId));
        await start.ShouldBe(HttpStatusCode.Created);
        var started = await start.Read<CleaningStarted>();
        app.Time.Advance(TimeSpan.FromSeconds(started.ContactSeconds));
        var done = await nurse.Post($"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null));
        await done.ShouldBe(HttpStatusCode.OK);
        return await done.Read<CleaningView>();
    }

    public static async Task<SessionView> AssignAsync(this FleetApp app, string headsetId, string patientRef = "MRN-1001",
        string wardId = "paediatrics", int minutes = 30, string[]? precautions = null)
    {
        var scheduler = await app.ClientAs("scheduler");
        var r = await scheduler.Post("/api/v1/sessions", new AssignRequest(headsetId, patientRef, wardId, minutes, precautions));
        await r.ShouldBe(HttpStatusCode.Created);
        return await r.Read<SessionView>();
    }

    public static async Task<SessionView> EndAsync(this FleetApp app, Guid sessionId)
    {
        var scheduler = await app.ClientAs("scheduler");
        var r = await scheduler.Post($"/api/v1/sessions/{sessionId}/end");
        await r.ShouldBe(HttpStatusCode.OK);
        return await r.Read<SessionView>();
    }

    public static async Task<HeadsetDetail> HeadsetAsync(this FleetApp app, string headsetId) =>
        await (await app.ClientAs("biomed")).Get<HeadsetDetail>($"/api/v1/headsets/{headsetId}");

    public static async Task<Readiness> ReadinessAsync(this FleetApp app, string headsetId, int minutes = 30) =>
        await (await app.ClientAs("scheduler")).Get<Readiness>($"/api/v1/headsets/{headsetId}/readiness?sessionMinutes={minutes}");
}
