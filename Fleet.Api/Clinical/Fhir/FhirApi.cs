using Fleet.Api.Clinical;
using Fleet.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>
/// FHIR R4 read and search. Device and Task need the read role (what any ward user sees); DeviceUseStatement and
/// AdverseEvent carry patient references, so they need the audit role, like trace, and patient searches are audited.
/// </summary>
public static class FhirApi
{
    public const string Root = "/fhir/r4";

    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(Root).WithTags("FHIR R4");
        // FHIR clients read the capability statement before they authenticate: it says how to.
        fhir.MapGet("/metadata", Metadata).AllowAnonymous();
        fhir.MapGet("/Device", Devices).RequireAuthorization(Policies.Read)
            .RefusesWithOperationOutcome(400, 401, 403);
        fhir.MapGet("/Device/{id}", Read(FhirResources.Device)).RequireAuthorization(Policies.Read)
            .RefusesWithOperationOutcome(401, 403, 404);
        fhir.MapGet("/Task", Tasks).RequireAuthorization(Policies.Read)
            .RefusesWithOperationOutcome(400, 401, 403);
        fhir.MapGet("/Task/{id}", Read(FhirResources.Task)).RequireAuthorization(Policies.Read)
            .RefusesWithOperationOutcome(401, 403, 404);
        fhir.MapGet("/DeviceUseStatement", DeviceUseStatements).RequireAuthorization(Policies.Audit)
            .RefusesWithOperationOutcome(400, 401, 403);
        fhir.MapGet("/DeviceUseStatement/{id}", Read(FhirResources.DeviceUseStatement)).RequireAuthorization(Policies.Audit)
            .RefusesWithOperationOutcome(401, 403, 404);
        fhir.MapGet("/AdverseEvent", AdverseEvents).RequireAuthorization(Policies.Audit)
            .RefusesWithOperationOutcome(400, 401, 403);
        fhir.MapGet("/AdverseEvent/{id}", Read(FhirResources.AdverseEvent)).RequireAuthorization(Policies.Audit)
            .RefusesWithOperationOutcome(401, 403, 404);
        return app;
    }

    private static Func<string, FhirResources, CancellationToken, Task<FhirResult>> Read(string type) =>
        async (id, resources, ct) => await resources.ReadAsync(type, id, ct) is { } r ? new FhirResult(r) : FhirResult.NotFound(type, id);

    private static async Task<FhirResult> Devices(
        [AsParameters] FhirPage page, HttpRequest request, FhirResources resources, TimeProvider time, CancellationToken ct)
    {
        var (paging, error) = Parse(request, FhirResources.Device, page.Count, page.Offset, out var ignored);
        if (error is not null) return error;
        return Bundle(request, FhirResources.Device, await resources.DevicesAsync(paging!, ct), paging!, ignored, time);
    }

    private static async Task<FhirResult> Tasks(
        string? focus, [AsParameters] FhirPage page, HttpRequest request, FhirResources resources, TimeProvider time, CancellationToken ct)
    {
        var headsetId = Strip(focus, "Device/");
        if (string.IsNullOrEmpty(headsetId)) return FhirResult.Invalid("focus", "is required, as Device/{id}.");
        var (paging, error) = Parse(request, FhirResources.Task, page.Count, page.Offset, out var ignored);
        if (error is not null) return error;
        return Bundle(request, FhirResources.Task, await resources.TasksAsync(headsetId, paging!, ct), paging!, ignored, time);
    }

    private static Task<FhirResult> DeviceUseStatements(string? patient, [AsParameters] FhirPage page, HttpRequest request, FhirResources resources, [AsParameters] ClinicalRead read) =>
        PatientSearch(FhirResources.DeviceUseStatement, patient, page, request, read, resources.DeviceUseStatementsAsync);

    private static Task<FhirResult> AdverseEvents(string? patient, [AsParameters] FhirPage page, HttpRequest request, FhirResources resources, [AsParameters] ClinicalRead read) =>
        PatientSearch(FhirResources.AdverseEvent, patient, page, request, read, resources.AdverseEventsAsync);

    private static async Task<FhirResult> PatientSearch(string type, string? patient, FhirPage page, HttpRequest request, ClinicalRead read,
        Func<string, Paging, CancellationToken, Task<Page>> search)
    {
        var patientRef = Strip(patient, "Patient/");
        if (string.IsNullOrEmpty(patientRef)) return FhirResult.Invalid("patient", "is required, as Patient/{id} or the patient reference.");
        if (patientRef.Length > 64) return FhirResult.Invalid("patient", "must be at most 64 characters.");
        var (paging, error) = Parse(request, type, page.Count, page.Offset, out var ignored);
        if (error is not null) return error;
        var found = await search(patientRef, paging!, read.Ct);
        await read.RecordAsync("fhir.patient_searched", "patient", patientRef, new { resourceType = type, paging!.Offset, paging.Count, found.Total });
        return Bundle(request, type, found, paging, ignored, read.Time);
    }

    private static FhirResult Metadata(HttpRequest request, CapabilityStatementResource capabilities) =>
        new(capabilities.Build(SearchBundle.BaseUrl(request)));

    /// <summary>Paging, and what to do with parameters Fleet does not know (see <see cref="SearchParameters"/>).</summary>
    private static (Paging? Paging, FhirResult? Error) Parse(HttpRequest request, string type, int? count, int? offset, out IReadOnlyList<string> ignored)
    {
        ignored = SearchParameters.Unknown(request, type);
        if (ignored.Count > 0 && SearchParameters.Strict(request))
            return (null, FhirResult.Invalid(string.Join(", ", ignored),
                $"{(ignored.Count == 1 ? "is not a search parameter" : "are not search parameters")} of {type}; it supports "
                + string.Join(", ", SearchParameters.ByType[type].Select(p => p.Name)) + "."));
        return Paging.Parse(count, offset);
    }

    private static FhirResult Bundle(HttpRequest request, string type, Page page, Paging paging, IReadOnlyList<string> ignored, TimeProvider time) =>
        new(SearchBundle.Build(request, type, page, paging, ignored, time.GetUtcNow()));

    private static string? Strip(string? value, string prefix) =>
        value is not null && value.StartsWith(prefix, StringComparison.Ordinal) ? value[prefix.Length..] : value?.Trim();
}

/// <summary>FHIR's paging parameters of a search: <c>_count</c> and <c>_offset</c>.</summary>
public readonly record struct FhirPage([FromQuery(Name = "_count")] int? Count, [FromQuery(Name = "_offset")] int? Offset);
