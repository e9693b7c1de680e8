using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

/// <summary>A ward's time zone: validated when saved, and its deep clean at 06:00 is 06:00 on the ward's clock.</summary>
public sealed class WardTimeZoneTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AWardIsInUtcUntilGivenAZoneAndAZoneTheServerDoesNotKnowIsRefusedNextToTheField()
    {
        var admin = await _app.ClientAs("admin");
        var created = await (await admin.Post("/api/v1/wards", new WardRequest("icu", "Intensive care"))).Read<WardView>();
        created.TimeZone.ShouldBe("UTC");

        var bad = await admin.Put("/api/v1/wards/icu", new WardRequest("icu", "Intensive care", "Europe/Atlantis"));
        (await bad.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("timeZone", out _).ShouldBeTrue();

        var moved = await (await admin.Put("/api/v1/wards/icu", new WardRequest("icu", "Intensive care", "Europe/London"))).Read<WardView>();
        moved.TimeZone.ShouldBe("Europe/London");
        var renamed = await (await admin.Put("/api/v1/wards/icu", new WardRequest("icu", "Intensive care unit"))).Read<WardView>();
        renamed.TimeZone.ShouldBe("Europe/London");
        (await admin.Get<List<WardView>>("/api/v1/wards")).Single(w => w.Id == "icu").TimeZone.ShouldBe("Europe/London");
        (await _app.AuditAsync("?entityId=icu&action=ward.renamed")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ADeepCleanAtSixOnALondonWardInSummerIsDueAtFiveUtcAndNamesTheWardsZone()
    {
        var admin = await _app.ClientAs("admin");
        await (await admin.Put("/api/v1/wards/burns", new WardRequest("burns", "Burns unit", "Europe/London"))).ShouldBe(HttpStatusCode.OK);
        _app.Time.SetUtcNow(new DateTimeOffset(2027, 7, 15, 5, 10, 0, TimeSpan.Zero));

        await _app.RunJobAsync<DeepCleanJob>();

        var burns = (await _app.TasksAsync("?kind=deep_clean&ward=burns")).ShouldHaveSingleItem();
        burns.DueAt.ShouldBe(new DateTimeOffset(2027, 7, 15, 5, 0, 0, TimeSpan.Zero));
        burns.Message.ShouldContain("2027-07-15 06:00 Europe/London");
        // The UTC ward's 06:00 has not come yet at 05:10 UTC: its latest slot is yesterday's.
        (await _app.TasksAsync("?kind=deep_clean&ward=paediatrics")).ShouldHaveSingleItem().DueAt
            .ShouldBe(new DateTimeOffset(2027, 7, 14, 6, 0, 0, TimeSpan.Zero));
    }
}
