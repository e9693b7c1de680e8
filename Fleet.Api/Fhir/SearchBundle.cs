using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using static Fleet.Api.Fhir.FhirJson;

namespace Fleet.Api.Fhir;

/// <summary>One page of search results.</summary>
public sealed record Page(int Total, IReadOnlyList<JsonObject> Resources);

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

    public static JsonObject Build(HttpRequest request, string type, Page page, Paging paging, DateTimeOffset now)
    {
        var baseUrl = BaseUrl(request);
        var links = new JsonArray(Link("self", request, type, paging.Offset, paging.Count));
        if (paging.Count > 0 && paging.Offset + paging.Count < page.Total)
            links.Add(Link("next", request, type, paging.Offset + paging.Count, paging.Count));
        if (paging.Offset > 0)
            links.Add(Link("previous", request, type, Math.Max(0, paging.Offset - paging.Count), paging.Count));

        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["meta"] = new JsonObject { ["lastUpdated"] = Instant(now) },
            ["type"] = "searchset",
            ["timestamp"] = Instant(now),
            ["total"] = page.Total,
            ["link"] = links,
        };
        // FHIR JSON never carries empty arrays.
        if (page.Resources.Count > 0)
            bundle["entry"] = new JsonArray(page.Resources.Select(r => (JsonNode)new JsonObject
            {
                ["fullUrl"] = $"{baseUrl}/{type}/{r["id"]}",
                ["resource"] = r,
                ["search"] = new JsonObject { ["mode"] = "match" },
            }).ToArray());
        return bundle;
    }

    /// <summary>The same search with the paging parameters replaced, so a client can follow it as is.</summary>
    private static JsonObject Link(string relation, HttpRequest request, string type, int offset, int count)
    {
        var query = request.Query
            .Where(q => q.Key is not ("_offset" or "_count"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("_count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new JsonObject
        {
            ["relation"] = relation,
            ["url"] = QueryHelpers.AddQueryString($"{BaseUrl(request)}/{type}", query),
        };
    }
}
