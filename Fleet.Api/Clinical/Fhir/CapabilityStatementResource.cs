using System.Reflection;
using Fleet.Api.Infrastructure.Auth;
using Hl7.Fhir.Model;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>
/// What this server does, for <c>GET /fhir/r4/metadata</c>: built from the same table the search handlers check, so it
/// cannot claim a parameter they do not take.
/// </summary>
public sealed class CapabilityStatementResource(TimeProvider time, HospitalSignIn signIn)
{
    public const string SecurityServiceSystem = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    private static readonly string Version =
        typeof(CapabilityStatementResource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    private static readonly IReadOnlyDictionary<string, string> Documentation = new Dictionary<string, string>
    {
        [FhirResources.Device] = "Headsets. Read role (any Fleet role).",
        [FhirResources.Task] = "Cleanings of a headset (R4 has no resource for cleaning a device). Read role (any Fleet role).",
        [FhirResources.DeviceUseStatement] = "Patient sessions. Audit role (biomed, infection_control, admin); searches are audited.",
        [FhirResources.AdverseEvent] = "Motion sickness reports and holds. Audit role (biomed, infection_control, admin); searches are audited.",
    };

    public CapabilityStatement Build(string baseUrl) => new()
    {
        Url = baseUrl + "/metadata",
        Name = "FleetVrHeadsets",
        Title = "Fleet: shared VR headsets in hospitals",
        Status = PublicationStatus.Active,
        Date = Instant(time.GetUtcNow()),
        Publisher = "Fleet",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "Fleet", Version = Version },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "Fleet FHIR R4 API", Url = baseUrl },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [ContentType, "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Read and search only; Fleet's own records are the source, FHIR is a view of them.",
                Security = Security(),
                Resource = SearchParameters.ByType.Select(kv => Resource(kv.Key, kv.Value)).ToList(),
            },
        ],
    };

    private CapabilityStatement.SecurityComponent Security()
    {
        var description = "Bearer tokens in the Authorization header. Fleet issues its own (POST /api/v1/auth/token with a Fleet account)";
        description += signIn.Enabled
            ? $"; it also accepts access tokens of the hospital's identity provider ({signIn.Authority}), whose roles it maps to Fleet's."
            : ".";
        return new CapabilityStatement.SecurityComponent
        {
            Cors = false,
            Service = [Concept(Code(SecurityServiceSystem, "OAuth", "OAuth"))],
            Description = description,
        };
    }

    private static CapabilityStatement.ResourceComponent Resource(string type, IReadOnlyList<SearchParameter> parameters) => new()
    {
        Type = type,
        Profile = $"http://hl7.org/fhir/StructureDefinition/{type}",
        Documentation = Documentation[type],
        Interaction =
        [
            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
        ],
        ReadHistory = false,
        UpdateCreate = false,
        SearchParam = parameters.Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name, Type = p.Type, Documentation = p.Documentation,
        }).ToList(),
    };
}
