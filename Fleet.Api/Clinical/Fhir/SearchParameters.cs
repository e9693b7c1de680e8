using Hl7.Fhir.Model;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>One search parameter Fleet understands: the handlers check requests against it and /metadata lists it.</summary>
public sealed record SearchParameter(string Name, SearchParamType Type, string Documentation);

/// <summary>
/// The resource types Fleet serves and the search parameters each understands. A parameter outside the list is not
/// silently dropped: by FHIR's rules (search.html, "Handling errors") a lenient search leaves it out of the self link and
/// says so in an OperationOutcome entry, and a client that sends <c>Prefer: handling=strict</c> gets 400.
/// </summary>
public static class SearchParameters
{
    public static readonly SearchParameter Count = new("_count", SearchParamType.Number,
        $"Matches per page, 0 to {Paging.MaxCount} (0 returns the total only); {Paging.DefaultCount} when absent.");
    public static readonly SearchParameter Offset = new("_offset", SearchParamType.Number,
        "How many matches to skip; the bundle's next and previous links carry it.");
    public static readonly SearchParameter Patient = new("patient", SearchParamType.Reference,
        "Required: Patient/{id} or the hospital's patient reference. The search is recorded in Fleet's audit trail.");
    public static readonly SearchParameter Focus = new("focus", SearchParamType.Reference, "Required: Device/{id}, the headset cleaned.");

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<SearchParameter>> ByType = new Dictionary<string, IReadOnlyList<SearchParameter>>
    {
        [FhirResources.Device] = [Count, Offset],
        [FhirResources.Task] = [Focus, Count, Offset],
        [FhirResources.DeviceUseStatement] = [Patient, Count, Offset],
        [FhirResources.AdverseEvent] = [Patient, Count, Offset],
    };

    /// <summary>The query parameters of a search that Fleet does not understand, in the order given.</summary>
    public static IReadOnlyList<string> Unknown(HttpRequest request, string type) =>
        request.Query.Keys.Where(k => !ByType[type].Any(p => p.Name == k)).ToList();

    /// <summary>True when the client asked for strict handling (RFC 7240 Prefer, FHIR's <c>handling=strict</c>).</summary>
    public static bool Strict(HttpRequest request) => request.Headers["Prefer"]
        .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        .Any(p => string.Equals(p.Replace(" ", ""), "handling=strict", StringComparison.OrdinalIgnoreCase));
}
