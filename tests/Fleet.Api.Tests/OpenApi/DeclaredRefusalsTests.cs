using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fleet.Api.Seeding;
using Fleet.Api.Tests.Support;
using Fleet.Domain;
using Shouldly;

namespace Fleet.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is held to its word: every operation declares the refusals its shape allows (token, role,
/// id, input), each with a problem body, and a probe of every operation (no token, each role, unknown, malformed and
/// real ids, empty and example bodies, unreadable query values) gets no status the document does not declare.
/// </summary>
public sealed class DeclaredRefusalsTests : IDisposable
{
    private readonly FleetApp _app = new();

    [Fact]
    public async Task EveryOperationDeclaresTheRefusalsItsShapeAllows()
    {
        var operations = OpenApiOperation.All(await Document());
        operations.Count.ShouldBeGreaterThan(60);
        var missing = new List<string>();
        foreach (var op in operations)
        {
            var declared = op.DeclaredStatuses;
            void Need(int status, string why)
            {
                if (!declared.Contains(status)) missing.Add($"{op} does not declare {status}: {why}");
            }
            if (op.NeedsToken) { Need(401, "it needs a token"); Need(403, "it needs a role"); }
            // A PUT that creates what it names answers 201, not 404.
            if (op.Parameters.Any(p => p.In == "path") && !declared.Contains(201)) Need(404, "it names something in its path");
            if (op.HasBody) Need(400, "it reads a body");
            if (op.Parameters.Any(p => p.In == "query" && !IsText(p.Schema))) Need(400, "it reads typed query values");
            foreach (var status in declared.Where(s => s >= 400))
            {
                var content = op.Content(status).ToList();
                if (content.Count == 0) missing.Add($"{op} declares {status} without a body");
                foreach (var (media, schema) in content)
                {
                    if (op.IsFhir) { media.ShouldBe("application/fhir+json", $"{op} {status}"); continue; }
                    if (media != "application/problem+json") missing.Add($"{op} declares {status} as {media}, not problem details");
                    else if (!schema.TryGetProperty("properties", out var ps) || !ps.TryGetProperty("code", out _))
                        missing.Add($"{op} declares {status} with a problem shape that has no stable 'code'");
                }
            }
        }
        missing.ShouldBeEmpty(string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task EveryStatusAnEndpointAnswersIsDeclared()
    {
        var operations = OpenApiOperation.All(await Document());
        var clients = new Dictionary<string, HttpClient> { ["no token"] = _app.CreateClient() };
        foreach (var (user, _) in DevelopmentSeed.Users) clients[user] = await _app.ClientAs(user);

        var undeclared = new List<string>();
        var answered = new HashSet<int>();
        foreach (var op in operations)
        {
            foreach (var (who, client) in clients)
            {
                foreach (var probe in Probes(op))
                {
                    var status = await Send(client, op, probe);
                    answered.Add(status);
                    if (!op.DeclaredStatuses.Contains(status)) undeclared.Add($"{op} answered {status} to {who} with {probe.Name}");
                }
            }
        }
        undeclared.ShouldBeEmpty(string.Join(Environment.NewLine, undeclared));
        // The probe reached the refusals it is there to find.
        answered.IsSupersetOf([200, 201, 400, 401, 403, 404]).ShouldBeTrue($"the probe got only {string.Join(", ", answered.Order())}");
    }

    [Fact]
    public async Task TheExampleBodiesInTheDocumentAreReadableRequests()
    {
        var withExamples = OpenApiOperation.All(await Document()).Where(op => op.BodyExample is not null).ToList();
        withExamples.Select(op => op.ToString()).ShouldContain("POST /api/v1/sessions");
        var admin = await _app.ClientAs("admin");
        foreach (var op in withExamples)
        {
            // Whatever the state of the seed headsets, an example is never refused as unreadable or invalid.
            var status = await Send(admin, op, new Probe("its example body", Seeded: true, Body: op.BodyExample!.Value.GetRawText()));
            status.ShouldNotBe(400, $"{op} refused its own example as invalid");
            op.DeclaredStatuses.ShouldContain(status, $"{op} answered its example with {status}");
        }
    }

    private sealed record Probe(
        string Name, bool Seeded, string? Body, bool BadIds = false, bool BadQuery = false, string MediaType = "application/json");

    private static IEnumerable<Probe> Probes(OpenApiOperation op)
    {
        var empty = op.HasBody ? "{}" : null;
        yield return new Probe("unknown ids and an empty body", Seeded: false, empty);
        if (op.Parameters.Any(p => p.In == "path")) yield return new Probe("ids that cannot be ids", Seeded: false, empty, BadIds: true);
        yield return new Probe("real ids and an empty body", Seeded: true, empty);
        if (op.HasBody) yield return new Probe("a body that is not JSON", Seeded: true, "{not json");
        if (op.HasBody) yield return new Probe("a body sent as text", Seeded: true, "hello", MediaType: "text/plain");
        if (op.BodyExample is { } example) yield return new Probe("its example body", Seeded: true, example.GetRawText());
        if (op.Parameters.Any(p => p.In == "query")) yield return new Probe("unreadable query values", Seeded: true, empty, BadQuery: true);
    }

    private static async Task<int> Send(HttpClient client, OpenApiOperation op, Probe probe)
    {
        var path = op.Path;
        foreach (var (name, place, schema) in op.Parameters.Where(p => p.In == "path"))
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(IdFor(op.Path, name, schema, probe)));
        if (probe.BadQuery)
            path += "?" + string.Join("&", op.Parameters.Where(p => p.In == "query").Select(p => $"{Uri.EscapeDataString(p.Name)}=not-a-value"));
        using var request = new HttpRequestMessage(new HttpMethod(op.Method.ToUpperInvariant()), path);
        if (probe.Body is not null) request.Content = new StringContent(probe.Body, Encoding.UTF8, new MediaTypeHeaderValue(probe.MediaType));
        // The event stream never ends: its headers say all the probe needs.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        return (int)response.StatusCode;
    }

    private static string IdFor(string path, string name, JsonElement schema, Probe probe)
    {
        var uuid = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) && f.GetString() == "uuid";
        if (probe.BadIds) return "0";
        if (!probe.Seeded) return uuid ? Guid.NewGuid().ToString() : "NO-SUCH-ID";
        var collection = path.Split('/').TakeWhile(s => s != "{" + name + "}").Last();
        return collection switch
        {
            "headsets" or "Device" => "HS-0003",
            "wards" => "burns",
            "models" => "pico-4e",
            "products" => "alcohol-wipe",
            "users" => "nurse",
            _ => uuid ? Guid.NewGuid().ToString() : "NO-SUCH-ID",
        };
    }

    private static bool IsText(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t)
        && (t.ValueKind == JsonValueKind.String ? t.GetString() == "string" : t.EnumerateArray().Any(x => x.GetString() == "string"))
        && !schema.TryGetProperty("format", out _);

    private async Task<JsonElement> Document() =>
        JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

    public void Dispose() => _app.Dispose();
}
