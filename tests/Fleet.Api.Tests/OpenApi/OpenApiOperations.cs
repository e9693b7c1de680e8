using System.Text.Json;

namespace Fleet.Api.Tests.OpenApi;

/// <summary>One operation of the served OpenAPI document, read as a client generator reads it.</summary>
public sealed record OpenApiOperation(string Method, string Path, JsonElement Element, JsonElement Document)
{
    public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";

    public IReadOnlySet<int> DeclaredStatuses =>
        Element.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).ToHashSet();

    public bool NeedsToken => Element.TryGetProperty("security", out var s) && s.GetArrayLength() > 0;

    public bool HasBody => Element.TryGetProperty("requestBody", out _);

    public IEnumerable<(string Name, string In, JsonElement Schema)> Parameters =>
        Element.TryGetProperty("parameters", out var ps)
            ? ps.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var s) ? Resolve(s) : default))
            : [];

    public bool IsFhir => Path.StartsWith("/fhir/", StringComparison.Ordinal);

    /// <summary>The request body's example, if the document gives one (on the body's schema).</summary>
    public JsonElement? BodyExample =>
        HasBody && Element.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value
            .TryGetProperty("schema", out var schema) && Resolve(schema).TryGetProperty("examples", out var examples)
            ? examples[0] : null;

    /// <summary>A response's media types and their (resolved) schemas.</summary>
    public IEnumerable<(string MediaType, JsonElement Schema)> Content(int status)
    {
        var response = Element.GetProperty("responses").GetProperty(status.ToString());
        if (!response.TryGetProperty("content", out var content)) yield break;
        foreach (var media in content.EnumerateObject())
            yield return (media.Name, media.Value.TryGetProperty("schema", out var s) ? Resolve(s) : default);
    }

    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r))
        {
            var name = r.GetString()!.Split('/')[^1];
            return Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    public static IReadOnlyList<OpenApiOperation> All(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(m => new OpenApiOperation(m.Name, path.Name, m.Value, document)))
            .ToList();
}
