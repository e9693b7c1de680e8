using System.Net;
using System.Text.Json.Nodes;
using Fleet.Testing;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Fhir;

/// <summary>Every resource type Fleet emits, fetched from the running API, validated by FHIR.js against the R4 profiles.</summary>
public sealed class FhirResourcesValidateTests(FhirHistory history) : IClassFixture<FhirHistory>
{
    [Fact]
    public async Task EveryResourceTypeFleetEmitsIsValidFhirR4()
    {
        var nurse = await history.App.ClientAs("nurse");
        var infection = await history.App.ClientAs("infection");
        var resources = new List<JsonNode>
        {
            await nurse.FhirAsync("/fhir/r4/Device/HS-0001"), // not ready, held (safety)
            await nurse.FhirAsync("/fhir/r4/Device/HS-0003"), // ready
            await nurse.FhirAsync("/fhir/r4/Device/HS-0012"), // retired
            await nurse.FhirAsync("/fhir/r4/Device?_count=3&_offset=3"),
            await nurse.FhirAsync("/fhir/r4/Device?_count=0"),
            await nurse.FhirAsync("/fhir/r4/Task?focus=Device/HS-0002"),
            await nurse.FhirAsync($"/fhir/r4/Task/{history.Invalid.Id}"),
            await infection.FhirAsync($"/fhir/r4/DeviceUseStatement/{history.First.Id}"),
            await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A"),
            await infection.FhirAsync($"/fhir/r4/AdverseEvent/{history.Report.Id}"),
            await infection.FhirAsync($"/fhir/r4/AdverseEvent/{history.NurseHold.Id}"),
            await infection.FhirAsync("/fhir/r4/AdverseEvent?patient=MRN-A"),
            await nurse.FhirAsync("/fhir/r4/Device/HS-9999", HttpStatusCode.NotFound),
            await history.App.CreateClient().FhirAsync("/fhir/r4/Device", HttpStatusCode.Unauthorized),
            await nurse.FhirAsync("/fhir/r4/Device?_count=-1", HttpStatusCode.BadRequest),
            await nurse.FhirAsync("/fhir/r4/Device?_count=2&colour=red"), // an outcome entry reports the unknown parameter
            await history.App.CreateClient().FhirAsync("/fhir/r4/metadata"),
        };
        resources.Select(r => r["resourceType"]!.GetValue<string>()).Distinct().Order()
            .ShouldBe(["AdverseEvent", "Bundle", "CapabilityStatement", "Device", "DeviceUseStatement", "OperationOutcome", "Task"]);

        var results = await FhirValidator.ValidateAsync(resources);
        results.Count.ShouldBe(resources.Count);
        foreach (var result in results) result.ShouldBeValidFhir();

        var firely = FirelyValidator.Validate(resources);
        firely.Count.ShouldBe(resources.Count);
        foreach (var result in firely) result.ShouldBeValidForFirely();
    }

    [Fact]
    public async Task ABrokenResourceIsReportedInvalidAndWhy()
    {
        var infection = await history.App.ClientAs("infection");
        var withoutSubject = await infection.FhirAsync($"/fhir/r4/AdverseEvent/{history.Report.Id}");
        withoutSubject.Remove("subject");
        var badSeverity = await infection.FhirAsync($"/fhir/r4/AdverseEvent/{history.Report.Id}");
        badSeverity["severity"]!["coding"]![0]!["code"] = "catastrophic";
        var badStatusReason = await infection.FhirAsync("/fhir/r4/Device/HS-0001");
        badStatusReason["statusReason"] = badStatusReason["statusReason"]![0]!.DeepClone(); // an object where R4 has a list
        var badTaskStatus = await infection.FhirAsync($"/fhir/r4/Task/{history.Valid.Id}");
        badTaskStatus["status"] = "done";

        var results = await FhirValidator.ValidateAsync([withoutSubject, badSeverity, badStatusReason, badTaskStatus]);

        results.ShouldAllBe(r => !r.Valid);
        results[0].Messages.ShouldContain(m => m.Location == "AdverseEvent.subject" && m.Severity == "error");
        results[1].Messages.ShouldContain(m => m.Location == "AdverseEvent.severity" && m.Severity == "error");
        results[2].Messages.ShouldContain(m => m.Location == "Device.statusReason" && m.Severity == "error");
        results[3].Messages.ShouldContain(m => m.Location == "Task.status" && m.Severity == "error");

        var firely = FirelyValidator.Validate([withoutSubject, badSeverity, badStatusReason, badTaskStatus]);

        firely.ShouldAllBe(r => !r.Valid);
        firely[0].Messages.ShouldContain(m => m.Severity == "error" && m.Location == "AdverseEvent" && m.Message!.Contains("'subject'"));
        firely[1].Messages.ShouldContain(m => m.Severity == "error" && m.Location == "AdverseEvent.severity[0]" && m.Message!.Contains("'catastrophic'"));
        firely[2].Messages.ShouldContain(m => m.Severity == "error" && m.Location == "Device.statusReason[0]" && m.Message!.Contains("must be an array"));
        firely[3].Messages.ShouldContain(m => m.Severity == "error" && m.Location == "Task.status[0]" && m.Message!.Contains("'done'"));
    }

    [Fact]
    public async Task WithoutItsNpmPackagesTheValidatorFailsWithWhatToRunInsteadOfSkipping()
    {
        using var empty = new TempDirectory();
        var e = await Should.ThrowAsync<InvalidOperationException>(() => FhirValidator.ValidateAsync([new JsonObject()], empty.Path));
        e.Message.ShouldContain("npm ci");
    }
}
