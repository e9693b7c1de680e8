using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Headsets;

/// <summary>Correcting a headset's registration (PUT /api/v1/headsets/{id}), as the admin screens do.</summary>
public sealed class HeadsetEditTests : IDisposable
{
    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AnAdminMovesAHeadsetToAnotherWardAndCorrectsItsAssetTagAndTheAuditSaysWhatChanged()
    {
        var admin = await _app.ClientAs("admin");
        var r = await admin.Put("/api/v1/headsets/HS-0001", new UpdateHeadsetRequest("VR-901", "quest-3", "burns"));
        await r.ShouldBe(HttpStatusCode.OK);

        var detail = await _app.HeadsetAsync("HS-0001");
        detail.Summary.WardId.ShouldBe("burns");
        detail.Summary.AssetTag.ShouldBe("VR-901");
        detail.Summary.Hygiene.ShouldBe(HygieneStates.Dirty); // a correction never cleans a headset
        var audit = await admin.Get<List<AuditEntryView>>("/api/v1/audit?action=headset.updated&entityId=HS-0001");
        var entry = audit.ShouldHaveSingleItem();
        entry.Actor.ShouldBe("user:admin");
        entry.Data!.ShouldContain("\"wardId\":\"paediatrics\"");
        entry.Data!.ShouldContain("\"wardId\":\"burns\"");
    }

    [Fact]
    public async Task AnUnknownWardIsRefusedOnItsFieldAndNothingChanges()
    {
        var r = await (await _app.ClientAs("biomed")).Put("/api/v1/headsets/HS-0002", new UpdateHeadsetRequest("VR-002", "quest-3", "nowhere"));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty("wardId")[0].GetString()!.ShouldContain("nowhere");
        (await _app.HeadsetAsync("HS-0002")).Summary.WardId.ShouldBe("paediatrics");
    }

    [Fact]
    public async Task AnAssetTagAnotherHeadsetCarriesIsAConflict()
    {
        var r = await (await _app.ClientAs("admin")).Put("/api/v1/headsets/HS-0002", new UpdateHeadsetRequest("VR-003", "pico-4e", "paediatrics"));
        await r.ShouldBeProblem(HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("nurse", "HS-0001", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("infection", "HS-0001", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("admin", "HS-9999", HttpStatusCode.NotFound, "not_found")]
    public async Task OnlyBiomedAndAdminEditAndOnlyHeadsetsThatExist(string user, string id, HttpStatusCode status, string code)
    {
        var r = await (await _app.ClientAs(user)).Put($"/api/v1/headsets/{id}", new UpdateHeadsetRequest("VR-777", "quest-3", "burns"));
        await r.ShouldBeProblem(status, code);
    }

    [Fact]
    public async Task ABlankFieldIsRefusedInPlainWords()
    {
        var r = await (await _app.ClientAs("admin")).Put("/api/v1/headsets/HS-0001", new UpdateHeadsetRequest(" ", "quest-3", "burns"));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty("assetTag")[0].GetString().ShouldBe("is required.");
    }
}
