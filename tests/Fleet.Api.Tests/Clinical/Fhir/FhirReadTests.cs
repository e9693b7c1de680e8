using System.Net;
using System.Text.Json.Nodes;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Fhir;

public sealed class FhirReadTests(FhirHistory history) : IClassFixture<FhirHistory>
{
    private FleetApp App => history.App;

    [Fact]
    public async Task ADeviceThatMayNotBeUsedSaysNotReadyWithTheGatesReasonsAndShowsItsHoldAsSafety()
    {
        var device = await (await App.ClientAs("nurse")).FhirAsync("/fhir/r4/Device/HS-0001");
        var readiness = await App.ReadinessAsync("HS-0001");

        device.Str("resourceType").ShouldBe("Device");
        device.Str("id").ShouldBe("HS-0001");
        device.Str("status").ShouldBe("active");
        var notReady = device["statusReason"]!.AsArray().Single(r => r.Str("coding.0.code") == "not-ready")!;
        notReady.Str("coding.0.system").ShouldBe("http://terminology.hl7.org/CodeSystem/device-status-reason");
        readiness.Reasons.Select(r => r.Code).ShouldBe(["not_clean", "motion_sickness_flag"], ignoreOrder: true);
        foreach (var reason in readiness.Reasons) notReady.Str("text").ShouldContain(reason.Message);
        device["statusReason"]!.AsArray().ShouldContain(r => r.Str("coding.0.code") == "offline");

        var safety = device["safety"]!.AsArray().Single()!;
        safety.Str("coding.0.code").ShouldBe("motion_sickness");
        safety.Str("text").ShouldContain("FMS 12");

        device["identifier"]!.AsArray().Select(i => i.Str("value")).ShouldBe(["SN-QUEST-3-1001", "VR-001"]);
        device.Str("modelNumber").ShouldBe("quest-3");
        device.Str("manufacturer").ShouldBe("Meta");
        device.Str("type.text").ShouldBe("Virtual reality head-mounted display");
        device["deviceName"]!.AsArray().ShouldContain(n => n.Str("type") == "user-friendly-name" && n.Str("name") == "VR-001");
        Property(device, "sessions").ShouldBe(1);
        Property(device, "cleanings").ShouldBe(1);
    }

    [Fact]
    public async Task AReadyDeviceHasNoNotReadyReasonAndARetiredOneIsInactive()
    {
        var nurse = await App.ClientAs("nurse");
        (await App.ReadinessAsync("HS-0003")).Ready.ShouldBeTrue();
        var ready = await nurse.FhirAsync("/fhir/r4/Device/HS-0003");
        ready["statusReason"]!.AsArray().Select(r => r.Str("coding.0.code")).ShouldBe(["offline"]);
        ready["safety"].ShouldBeNull();

        var retired = await nurse.FhirAsync("/fhir/r4/Device/HS-0012");
        retired.Str("status").ShouldBe("inactive");
        retired["statusReason"]!.AsArray().Single(r => r.Str("coding.0.code") == "not-ready")!.Str("text").ShouldContain("retired");
    }

    [Fact]
    public async Task TheDeviceSearchIsASearchsetBundleWithTotalAndPagingLinks()
    {
        var nurse = await App.ClientAs("nurse");
        var first = await nurse.FhirAsync("/fhir/r4/Device?_count=5");
        first.Str("resourceType").ShouldBe("Bundle");
        first.Str("type").ShouldBe("searchset");
        first["total"]!.GetValue<int>().ShouldBe(12);
        first.Entries().Select(d => d.Str("id")).ShouldBe(["HS-0001", "HS-0002", "HS-0003", "HS-0004", "HS-0005"]);
        first.Link("self").ShouldEndWith("/fhir/r4/Device?_count=5&_offset=0");
        first.Link("previous").ShouldBeNull();

        var second = await nurse.FhirAsync(first.Link("next")!);
        second.Entries().Select(d => d.Str("id")).ShouldBe(["HS-0006", "HS-0007", "HS-0008", "HS-0009", "HS-0010"]);
        var last = await nurse.FhirAsync(second.Link("next")!);
        last.Entries().Select(d => d.Str("id")).ShouldBe(["HS-0011", "HS-0012"]);
        last.Link("next").ShouldBeNull();
        last.Link("previous").ShouldEndWith("_count=5&_offset=5");

        var countOnly = await nurse.FhirAsync("/fhir/r4/Device?_count=0");
        countOnly["total"]!.GetValue<int>().ShouldBe(12);
        countOnly["entry"].ShouldBeNull();
    }

    [Fact]
    public async Task DeviceUseStatementsAreThePatientsSessions()
    {
        var infection = await App.ClientAs("infection");
        var bundle = await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=Patient/MRN-A");
        bundle["total"]!.GetValue<int>().ShouldBe(2);
        var first = bundle.Entries()[0];
        first.Str("id").ShouldBe(history.First.Id.ToString());
        first.Str("status").ShouldBe("completed");
        first.Str("subject.reference").ShouldBe("Patient/MRN-A");
        first.Str("device.reference").ShouldBe("Device/HS-0001");
        DateTimeOffset.Parse(first.Str("timingPeriod.start")).ShouldBe(history.First.StartedAt);
        DateTimeOffset.Parse(first.Str("timingPeriod.end")).ShouldBe(history.First.EndedAt!.Value);
        first.Str("source.display").ShouldBe("scheduler");

        var paged = await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A&_count=1");
        paged.Entries().Single().Str("id").ShouldBe(history.First.Id.ToString());
        (await infection.FhirAsync(paged.Link("next")!)).Entries().Single().Str("id").ShouldBe(history.Second.Id.ToString());
        (await infection.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-NOBODY"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task AdverseEventsAreTheReportAndTheHoldANurseRaisedNotTheRulesHoldAgain()
    {
        var infection = await App.ClientAs("infection");
        var events = (await infection.FhirAsync("/fhir/r4/AdverseEvent?patient=MRN-A")).Entries();
        events.Select(e => e.Str("id")).ShouldBe([history.Report.Id.ToString(), history.NurseHold.Id.ToString()]);

        var report = events[0];
        report.Str("actuality").ShouldBe("actual");
        report.Str("subject.reference").ShouldBe("Patient/MRN-A");
        report.Str("event.coding.0.system").ShouldBe("http://snomed.info/sct");
        report.Str("event.coding.0.code").ShouldBe("37031009");
        report.Str("category.0.coding.0.code").ShouldBe("product-problem");
        report.Str("severity.coding.0.system").ShouldBe("http://terminology.hl7.org/CodeSystem/adverse-event-severity");
        report.Str("severity.coding.0.code").ShouldBe("severe"); // FMS 12
        report.Str("suspectEntity.0.instance.reference").ShouldBe("Device/HS-0001");

        var hold = events[1];
        hold.Str("suspectEntity.0.instance.reference").ShouldBe("Device/HS-0002");
        hold.Str("severity.coding.0.code").ShouldBe("mild"); // no score was given
        hold.Str("event.text").ShouldContain("nauseous");
        (await infection.FhirAsync($"/fhir/r4/AdverseEvent/{history.NurseHold.Id}")).Str("subject.reference").ShouldBe("Patient/MRN-A");
    }

    [Fact]
    public async Task CleaningsAreTasksAndAnInvalidOneFailedWithItsReason()
    {
        var tasks = (await (await App.ClientAs("nurse")).FhirAsync("/fhir/r4/Task?focus=Device/HS-0002")).Entries();
        tasks.Select(t => t.Str("id")).ShouldBe([history.Valid.Id.ToString(), history.Invalid.Id.ToString()]);

        var valid = tasks[0];
        valid.Str("status").ShouldBe("completed");
        valid.Str("intent").ShouldBe("order");
        valid.Str("code.coding.0.code").ShouldBe("409530006");
        valid.Str("focus.reference").ShouldBe("Device/HS-0002");
        DateTimeOffset.Parse(valid.Str("executionPeriod.end")).ShouldBe(history.Valid.CompletedAt!.Value);
        valid["statusReason"].ShouldBeNull();
        var contact = valid["input"]!.AsArray().Single(i => i.Str("type.coding.0.code") == "contact-time")!;
        contact["valueQuantity"]!["value"]!.GetValue<double>().ShouldBe(120);

        var invalid = tasks[1];
        invalid.Str("status").ShouldBe("failed");
        invalid.Str("statusReason.coding.0.code").ShouldBe("contact_time_not_met");
        invalid.Str("statusReason.text").ShouldContain("must stay wet for 120 s");
    }

    [Theory]
    [InlineData("/fhir/r4/Device/HS-9999")]
    [InlineData("/fhir/r4/Task/3f1b2a52-8f7c-4ad1-9a55-0a3b9c6f7e10")]
    [InlineData("/fhir/r4/DeviceUseStatement/3f1b2a52-8f7c-4ad1-9a55-0a3b9c6f7e10")]
    [InlineData("/fhir/r4/AdverseEvent/not-a-uuid")]
    [InlineData("/fhir/r4/Patient/MRN-A")]
    public async Task UnknownIdsAnswer404WithAnOperationOutcome(string url)
    {
        var outcome = await (await App.ClientAs("admin")).FhirAsync(url, HttpStatusCode.NotFound);
        outcome.Str("resourceType").ShouldBe("OperationOutcome");
        outcome.Str("issue.0.code").ShouldBe("not-found");
    }

    [Fact]
    public async Task FhirErrorsAreOperationOutcomesEvenForAuthentication()
    {
        var anonymous = await App.CreateClient().FhirAsync("/fhir/r4/Device", HttpStatusCode.Unauthorized);
        anonymous.Str("issue.0.code").ShouldBe("login");
        anonymous.Str("issue.0.details.coding.0.code").ShouldBe("unauthorized");

        var nurse = await App.ClientAs("nurse");
        (await nurse.FhirAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A", HttpStatusCode.Forbidden)).Str("issue.0.code").ShouldBe("forbidden");
        (await nurse.FhirAsync("/fhir/r4/AdverseEvent?patient=MRN-A", HttpStatusCode.Forbidden)).Str("issue.0.code").ShouldBe("forbidden");
        (await nurse.FhirAsync("/fhir/r4/Device?_count=9999", HttpStatusCode.BadRequest)).Str("issue.0.diagnostics").ShouldContain("_count");
        (await nurse.FhirAsync("/fhir/r4/Device?_count=many", HttpStatusCode.BadRequest)).Str("issue.0.code").ShouldBe("invalid");
        (await nurse.FhirAsync("/fhir/r4/Task", HttpStatusCode.BadRequest)).Str("issue.0.diagnostics").ShouldContain("focus");
        var infection = await App.ClientAs("infection");
        (await infection.FhirAsync("/fhir/r4/AdverseEvent", HttpStatusCode.BadRequest)).Str("issue.0.diagnostics").ShouldContain("patient");
    }

    [Fact]
    public void EveryFhirEndpointNamesARolePolicyAndPatientDataNeedsTheAuditRole()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/fhir/", StringComparison.Ordinal) == true).ToList();
        endpoints.Count.ShouldBe(9);
        foreach (var e in endpoints)
        {
            var route = e.RoutePattern.RawText!;
            // FHIR clients read the capability statement before they authenticate: it says how to.
            if (route == "/fhir/r4/metadata")
            {
                e.Metadata.GetMetadata<IAllowAnonymous>().ShouldNotBeNull();
                continue;
            }
            e.Metadata.GetMetadata<IAllowAnonymous>().ShouldBeNull(route);
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            policies.ShouldNotBeEmpty(route);
            var patientData = route.Contains("DeviceUseStatement") || route.Contains("AdverseEvent");
            policies.ShouldAllBe(p => p == (patientData ? Policies.Audit : Policies.Read), route);
        }
    }

    [Fact]
    public async Task SearchingAPatientsRecordsIsAudited()
    {
        await (await App.ClientAs("biomed")).FhirAsync("/fhir/r4/AdverseEvent?patient=MRN-AUDIT");
        var entries = await (await App.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=MRN-AUDIT");
        var entry = entries.Single();
        entry.Action.ShouldBe("fhir.patient_searched");
        entry.Actor.ShouldBe("user:biomed");
        entry.EntityType.ShouldBe("patient");
        entry.Data!.ShouldContain("AdverseEvent");
    }

    private static double Property(JsonObject device, string code) =>
        device["property"]!.AsArray().Single(p => p.Str("type.coding.0.code") == code)!["valueQuantity"]![0]!["value"]!.GetValue<double>();
}
