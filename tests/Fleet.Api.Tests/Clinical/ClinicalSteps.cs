using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Clinical;

/// <summary>Ward steps the clinical tests need beyond <see cref="Steps"/>, all through the public API.</summary>
public static class ClinicalSteps
{
    /// <summary>Hands a clean headset to a patient now, waits the session out on the clock, and ends it.</summary>
    public static async Task<SessionView> UseAsync(this FleetApp app, string headsetId, string patientRef, int minutes = 30, string wardId = "paediatrics")
    {
        var session = await app.AssignAsync(headsetId, patientRef, wardId, minutes);
        app.Time.Advance(TimeSpan.FromMinutes(minutes));
        return await app.EndAsync(session.Id);
    }

    public static async Task<CleaningView> LogCleaningAsync(this FleetApp app, string headsetId, string productId,
        DateTimeOffset startedAt, DateTimeOffset completedAt, Guid? correctsId = null, string user = "nurse")
    {
        var client = await app.ClientAs(user);
        var r = await client.Post($"/api/v1/headsets/{headsetId}/cleanings/log",
            new LogCleaningRequest(productId, startedAt, completedAt, false, correctsId is null ? null : "Correction after review.", correctsId));
        await r.ShouldBe(HttpStatusCode.Created);
        return await r.Read<CleaningView>();
    }

    public static async Task<CleaningStarted> StartCleaningAsync(this FleetApp app, string headsetId, string productId = "quat-wipe")
    {
        var r = await (await app.ClientAs("nurse")).Post($"/api/v1/headsets/{headsetId}/cleanings", new StartCleaningRequest(productId));
        await r.ShouldBe(HttpStatusCode.Created);
        return await r.Read<CleaningStarted>();
    }

    public static async Task MarkDirtyAsync(this FleetApp app, string headsetId, string reason = "Dropped on the floor.")
    {
        var r = await (await app.ClientAs("nurse")).Post($"/api/v1/headsets/{headsetId}/dirty", new MarkDirtyRequest(reason));
        await r.ShouldBe(HttpStatusCode.OK);
    }

    public static async Task<ComfortReportView> ReportComfortAsync(this FleetApp app, string headsetId, Guid sessionId, int fms)
    {
        var r = await (await app.ClientAs("nurse")).Post($"/api/v1/headsets/{headsetId}/comfort-reports", new ComfortReportRequest(sessionId, fms, null));
        await r.ShouldBe(HttpStatusCode.Created);
        return await r.Read<ComfortReportView>();
    }

    public static async Task<FlagView> RaiseFlagAsync(this FleetApp app, string headsetId, string kind, string note)
    {
        var r = await (await app.ClientAs("nurse")).Post($"/api/v1/headsets/{headsetId}/flags", new RaiseFlagRequest(kind, note));
        await r.ShouldBe(HttpStatusCode.Created);
        return await r.Read<FlagView>();
    }

    /// <summary>A FHIR read: asserts the status and the FHIR content type, and returns the resource.</summary>
    public static async Task<JsonObject> FhirAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var r = await client.GetAsync(url);
        await r.ShouldBe(expected);
        r.Content.Headers.ContentType?.MediaType.ShouldBe("application/fhir+json");
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static IReadOnlyList<JsonObject> Entries(this JsonObject bundle) =>
        bundle["entry"]?.AsArray().Select(e => e!["resource"]!.AsObject()).ToList() ?? [];

    public static string? Link(this JsonObject bundle, string relation) =>
        bundle["link"]!.AsArray().FirstOrDefault(l => (string?)l!["relation"] == relation)?["url"]?.GetValue<string>();

    /// <summary>The string at a dotted path (<c>coding.0.code</c>); fails the test when anything on the way is missing.</summary>
    public static string Str(this JsonNode? node, string path) =>
        path.Split('.').Aggregate(node ?? throw new ShouldAssertException($"No node to read {path} from."),
            (n, key) => (int.TryParse(key, out var i) ? n[i] : n[key]) ?? throw new ShouldAssertException($"{n.ToJsonString()} has no {key} (reading {path})."))
        .GetValue<string>();
}
