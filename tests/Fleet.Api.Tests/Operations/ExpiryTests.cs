using System.Net;
using Fleet.Api.Operations.Jobs;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Operations;

public sealed class ExpiryTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheExpiryJobRecordsACleanHeadsetPastItsHangTimeAsExpiredAndItsCleaningFallsDue()
    {
        var cleaned = (await _app.CleanAsync("HS-0001")).CompletedAt!.Value;
        _app.Time.Advance(TimeSpan.FromHours(23));
        await _app.RunJobAsync<ExpiryJob>();
        _app.StoredHygiene("HS-0001").ShouldBe("Clean");

        _app.Time.Advance(TimeSpan.FromHours(2));
        await _app.RunJobAsync<ExpiryJob>();

        _app.StoredHygiene("HS-0001").ShouldBe("Expired");
        var expiry = (await _app.AuditAsync("?entityId=HS-0001&action=hygiene.expired")).ShouldHaveSingleItem();
        expiry.Actor.ShouldBe("system:hang-time");
        expiry.OccurredAt.ShouldBe(cleaned.AddHours(24));

        await _app.RunJobAsync<CleaningDueJob>();
        (await _app.TasksAsync("?headsetId=HS-0001")).ShouldHaveSingleItem().DueAt.ShouldBe(cleaned.AddHours(24).AddMinutes(30));
        await _app.RunJobAsync<ExpiryJob>();
        (await _app.AuditAsync("?action=hygiene.expired")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AOneMinuteHangTimeSetThroughTheWardPolicyExpiresTheNextRun()
    {
        var infection = await _app.ClientAs("infection");
        await (await infection.Put("/api/v1/wards/paediatrics/policy", new WardPolicyRequest(1, 30, "06:00", 72, 15, 10, false)))
            .ShouldBe(HttpStatusCode.OK);
        await _app.CleanAsync("HS-0001");
        await _app.CleanAsync("HS-0007"); // burns keeps 24 h

        _app.Time.Advance(TimeSpan.FromSeconds(61));
        await _app.RunJobAsync<ExpiryJob>();

        _app.StoredHygiene("HS-0001").ShouldBe("Expired");
        _app.StoredHygiene("HS-0007").ShouldBe("Clean");
    }
}
