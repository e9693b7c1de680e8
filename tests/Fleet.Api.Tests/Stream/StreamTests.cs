using System.Net;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Stream;

public sealed class StreamTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AChangeMadeThroughRestArrivesOnTheStreamWithTheHeadsetsFreshSummary()
    {
        var scheduler = await _app.ClientAs("scheduler");
        using var stream = await EventStreamReader.OpenAsync(scheduler, "/api/v1/stream");
        await stream.Response.ShouldBe(HttpStatusCode.OK);
        stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        (await stream.NextBlockAsync())!.ShouldContain(": connected");

        var nurse = await _app.ClientAs("nurse");
        await (await nurse.Post("/api/v1/headsets/HS-0002/cleanings", new StartCleaningRequest("quat-wipe"))).ShouldBe(HttpStatusCode.Created);

        var changed = JsonSerializer.Deserialize<HeadsetChanged>(await stream.NextEventAsync("headset"), FleetJson.Options)!;
        changed.HeadsetId.ShouldBe("HS-0002");
        changed.Summary.Id.ShouldBe("HS-0002");
        changed.Summary.Hygiene.ShouldBe(HygieneStates.Cleaning);
        changed.Summary.Ready.ShouldBeFalse();
        changed.Summary.Reasons.Select(r => r.Code).ShouldContain("not_clean");
    }

    [Fact]
    public async Task EachCommitSendsTheStateAfterIt()
    {
        await _app.CleanAsync("HS-0003");
        var scheduler = await _app.ClientAs("scheduler");
        using var stream = await EventStreamReader.OpenAsync(scheduler, "/api/v1/stream");
        await stream.NextBlockAsync();

        await (await scheduler.Post("/api/v1/headsets/HS-0003/flags", new RaiseFlagRequest("damage", "Cracked lens"))).ShouldBe(HttpStatusCode.Created);
        var flagged = JsonSerializer.Deserialize<HeadsetChanged>(await stream.NextEventAsync("headset"), FleetJson.Options)!;
        flagged.Summary.OpenFlags.ShouldBe(["damage"]);
        flagged.Summary.Reasons.Select(r => r.Code).ShouldBe(["damage_flag"]);

        var biomed = await _app.ClientAs("biomed");
        var flag = (await biomed.Get<List<FlagView>>("/api/v1/headsets/HS-0003/flags?open=true")).Single();
        await (await biomed.Post($"/api/v1/flags/{flag.Id}/clear", new ClearFlagRequest("Lens replaced"))).ShouldBe(HttpStatusCode.OK);
        var cleared = JsonSerializer.Deserialize<HeadsetChanged>(await stream.NextEventAsync("headset"), FleetJson.Options)!;
        cleared.Summary.OpenFlags.ShouldBeEmpty();
        cleared.Summary.Ready.ShouldBeTrue();
    }

    [Fact]
    public async Task AQuietStreamSendsAHeartbeatComment()
    {
        using var stream = await EventStreamReader.OpenAsync(await _app.ClientAs("nurse"), "/api/v1/stream");
        await stream.NextBlockAsync();
        _app.Time.Advance(TimeSpan.FromSeconds(15));
        (await stream.NextBlockAsync())!.ShouldBe([": heartbeat"]);
    }

    [Fact]
    public async Task TheStreamEndsWhenTheTokenThatOpenedItExpires()
    {
        var nurse = await _app.ClientAs("nurse");
        using var stream = await EventStreamReader.OpenAsync(nurse, "/api/v1/stream");
        await stream.NextBlockAsync();
        _app.Time.Advance(TimeSpan.FromHours(8).Add(TimeSpan.FromSeconds(1)));
        while (await stream.NextBlockAsync() is not null) { }
        await (await nurse.GetAsync("/api/v1/stream")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task TheStreamNeedsASignedInUser() =>
        await (await _app.CreateClient().GetAsync("/api/v1/stream")).ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthorized");
}
