using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Fhir;

/// <summary>The server describes itself, and search parameters it does not know are never silently dropped.</summary>
public sealed class FhirCapabilityTests(FhirHistory history) : IClassFixture<FhirHistory>
{
    private FleetApp App => history.App;

    [Fact]
    public async Task MetadataIsACapabilityStatementAnyoneMayReadThatListsEveryResourceInteractionAndSearchParameter()
    {
        var response = await App.CreateClient().GetAsync("/fhir/r4/metadata");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        var cs = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        cs.Str("resourceType").ShouldBe("CapabilityStatement");
        cs.Str("kind").ShouldBe("instance");
        cs.Str("fhirVersion").ShouldBe("4.0.1");
        cs.Str("status").ShouldBe("active");
        cs["format"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldContain("application/fhir+json");
        cs.Str("implementation.url").ShouldEndWith("/fhir/r4");
        var rest = cs["rest"]![0]!;
        rest.Str("mode").ShouldBe("server");
        rest.Str("security.service.0.coding.0.system").ShouldBe("http://terminology.hl7.org/CodeSystem/restful-security-service");
        rest.Str("security.service.0.coding.0.code").ShouldBe("OAuth");
        rest.Str("security.description").ShouldContain("/api/v1/auth/token");

        var resources = rest["resource"]!.AsArray().ToDictionary(r => r.Str("type"));
        resources.Keys.Order().ShouldBe(["AdverseEvent", "Device", "DeviceUseStatement", "Task"]);
        foreach (var r in resources.Values)
            r!["interaction"]!.AsArray().Select(i => i.Str("code")).ShouldBe(["read", "search-type"]);
        Parameters(resources["Device"]).ShouldBe(["_count", "_offset"]);
        Parameters(resources["Task"]).ShouldBe(["focus", "_count", "_offset"]);
        Parameters(resources["DeviceUseStatement"]).ShouldBe(["patient", "_count", "_offset"]);
        Parameters(resources["AdverseEvent"]).ShouldBe(["patient", "_count", "_offset"]);
        resources["Task"]!["searchParam"]!.AsArray().Single(p => p.Str("name") == "focus")!.Str("type").ShouldBe("reference");
    }

    [Fact]
    public async Task EverySearchParameterTheStatementListsIsOneTheServerTakesWithStrictHandling()
    {
        var cs = await App.CreateClient().FhirAsync("/fhir/r4/metadata");
        var admin = await App.ClientAs("admin");
        admin.DefaultRequestHeaders.Add("Prefer", "handling=strict");
        var values = new Dictionary<string, string> { ["_count"] = "1", ["_offset"] = "0", ["patient"] = "MRN-A", ["focus"] = "Device/HS-0002" };
        foreach (var resource in cs["rest"]![0]!["resource"]!.AsArray())
        {
            var query = string.Join("&", resource!["searchParam"]!.AsArray().Select(p => $"{p.Str("name")}={values[p.Str("name")]}"));
            var bundle = await admin.FhirAsync($"/fhir/r4/{resource.Str("type")}?{query}");
            bundle.Str("type").ShouldBe("searchset");
        }
    }

    [Fact]
    public async Task AnUnknownSearchParameterIsReportedInTheBundleAndLeftOutOfItsLinks()
    {
        var bundle = await (await App.ClientAs("nurse")).FhirAsync("/fhir/r4/Device?_count=2&colour=red");

        bundle["total"]!.GetValue<int>().ShouldBe(12); // the search ran without it
        bundle.Link("self")!.ShouldNotContain("colour");
        bundle.Link("next")!.ShouldNotContain("colour");
        var entries = bundle["entry"]!.AsArray();
        entries.Count(e => e.Str("search.mode") == "match").ShouldBe(2);
        var outcome = entries.Single(e => e.Str("search.mode") == "outcome")!["resource"]!;
        outcome.Str("resourceType").ShouldBe("OperationOutcome");
        outcome.Str("issue.0.severity").ShouldBe("warning");
        outcome.Str("issue.0.code").ShouldBe("not-supported");
        outcome.Str("issue.0.diagnostics").ShouldContain("colour");
    }

    [Fact]
    public async Task WithStrictHandlingAnUnknownSearchParameterIsRefused()
    {
        var infection = await App.ClientAs("infection");
        infection.DefaultRequestHeaders.Add("Prefer", "handling=strict");

        var outcome = await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A&date=ge2026-01-01", HttpStatusCode.BadRequest);

        outcome.Str("resourceType").ShouldBe("OperationOutcome");
        outcome.Str("issue.0.code").ShouldBe("invalid");
        outcome.Str("issue.0.diagnostics").ShouldContain("date");
        outcome.Str("issue.0.diagnostics").ShouldContain("patient, _count, _offset");
        (await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A"))["total"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task AKnownSearchGivesNoOutcomeEntry()
    {
        var bundle = await (await App.ClientAs("nurse")).FhirAsync("/fhir/r4/Task?focus=Device/HS-0002");
        bundle["entry"]!.AsArray().ShouldAllBe(e => e.Str("search.mode") == "match");
    }

    private static List<string> Parameters(JsonNode? resource) =>
        resource!["searchParam"]!.AsArray().Select(p => p.Str("name")).ToList();
}
