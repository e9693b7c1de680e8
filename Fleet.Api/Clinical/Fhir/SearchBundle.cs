using System.Globalization;
using Fleet.Domain;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.WebUtilities;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>One page of search results.</summary>
public sealed record Page(int Total, IReadOnlyList<Resource> Resources);

/// <summary>Paging of a search: <c>_count</c> (0 for the total only) and <c>_offset</c>.</summary>
public sealed record Paging(int Offset, int Count)
{
    public const int DefaultCount = 50;
    public const int MaxCount = 500;

    public static (Paging? Paging, FhirResult? Error) Parse(int? count, int? offset)
    {
        if (count is < 0 or > MaxCount) return (null, FhirResult.Invalid("_count", $"must be between 0 and {MaxCount}."));
        if (offset is < 0) return (null, FhirResult.Invalid("_offset", "must not be negative."));
        return (new Paging(offset ?? 0, count ?? DefaultCount), null);
    }
}

/// <summary>Search results as a Bundle of type searchset, with the total and self / next / previous links.</summary>
public static class SearchBundle
{
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{FhirApi.Root}";

    /// <param name="ignored">Parameters Fleet did not use: left out of the links and reported in an outcome entry.</param>
    public static Bundle Build(HttpRequest request, string type, Page page, Paging paging, IReadOnlyList<string> ignored, DateTimeOffset now)
    {
        var baseUrl = BaseUrl(request);
        var bundle = new Bundle
        {
            Meta = new Meta { LastUpdated = now },
            Type = Bundle.BundleType.Searchset,
            Timestamp = now,
            Total = page.Total,
            Link = [Link("self", request, type, paging.Offset, paging.Count, ignored)],
            Entry = page.Resources.Select(r => new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{type}/{r.Id}",
                Resource = r,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            }).ToList(),
        };
        if (paging.Count > 0 && paging.Offset + paging.Count < page.Total)
            bundle.Link.Add(Link("next", request, type, paging.Offset + paging.Count, paging.Count, ignored));
        if (paging.Offset > 0)
            bundle.Link.Add(Link("previous", request, type, Math.Max(0, paging.Offset - paging.Count), paging.Count, ignored));
        if (ignored.Count > 0)
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid()}", // bdl-15: every entry of a searchset has one; this outcome has no other address
                Resource = OperationOutcomes.Build(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                    Codes.ValidationFailed, $"Unknown search parameters were ignored: {string.Join(", ", ignored)}. "
                        + $"{type} supports {string.Join(", ", SearchParameters.ByType[type].Select(p => p.Name))}; "
                        + "send 'Prefer: handling=strict' to have them refused instead."),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
            });
        return bundle;
    }

    /// <summary>The same search, as Fleet understood it, with the paging parameters replaced, so a client can follow it as is.</summary>
    private static Bundle.LinkComponent Link(string relation, HttpRequest request, string type, int offset, int count, IReadOnlyList<string> ignored)
    {
        var query = request.Query
            .Where(q => q.Key is not ("_offset" or "_count") && !ignored.Contains(q.Key))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("_count", count.ToString(CultureInfo.InvariantCulture)))
            .Append(new("_offset", offset.ToString(CultureInfo.InvariantCulture)));
        return new Bundle.LinkComponent { Relation = relation, Url = QueryHelpers.AddQueryString($"{BaseUrl(request)}/{type}", query) };
    }
}
