using Fleet.Api.Clinical.Compliance;
using Fleet.Api.Clinical.Ehr;
using Fleet.Api.Clinical.Fhir;
using Fleet.Api.Clinical.Trace;

namespace Fleet.Api.Clinical;

/// <summary>Clinical integration: FHIR R4 for the EHR (read and push), exposure trace and the compliance report.</summary>
public static class ClinicalSetup
{
    public static IServiceCollection AddClinical(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ReadAudit>();
        services.AddScoped<FhirResources>();
        services.AddSingleton<CapabilityStatementResource>();
        // First among the problem-details writers: the default one would otherwise answer /fhir errors too.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, FhirOutcomeWriter>());
        services.AddScoped<ExposureTracer>();
        services.AddScoped<ComplianceService>();
        return services.AddEhrPush(config);
    }

    public static IEndpointRouteBuilder MapClinicalApi(this IEndpointRouteBuilder app) => app
        .MapFhirApi()
        .MapTraceApi()
        .MapComplianceApi();
}
