using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Sessions;

/// <summary>The session rules of product.md as users meet them through the API.</summary>
public sealed class SessionRulesThroughHttpTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PickForMeChoosesAReadyHeadsetInTheWardAndSaysWhenThereIsNone()
    {
        var scheduler = await _app.ClientAs("scheduler");
        var none = await scheduler.Post("/api/v1/sessions", new AssignRequest(null, "MRN-5", "burns", 30, null));
        await none.ShouldBeProblem(HttpStatusCode.Conflict, "no_headset_available");

        await _app.CleanAsync("HS-0008");
        var picked = await scheduler.Post("/api/v1/sessions", new AssignRequest(null, "MRN-5", "burns", 30, null));
        await picked.ShouldBe(HttpStatusCode.Created);
        (await picked.Read<SessionView>()).HeadsetId.ShouldBe("HS-0008");
    }
}
