using System.Diagnostics;
using System.Net;
using System.Text;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Hardening;

/// <summary>
/// Hostile and careless requests against every endpoint the API maps (in-process, nothing leaves the machine), bounded
/// in count and time and seeded so a failure replays: never a 500, never a stack trace, and afterwards the audit chain
/// is intact and the API ready.
/// </summary>
public sealed class AbuseSuiteTests : IDisposable
{
    private const int Seed = 1414;
    private const int RequestsPerEndpoint = 12;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(120);

    private static readonly string[] HostileValues =
    [
        "", " ", "HS-0001", "HS-9999", "0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d", "not-an-id", "..%2F..%2Fetc%2Fpasswd", "%00", "a%00b",
        "%E2%80%AE", "' OR 1=1 --", "<script>alert(1)</script>", new string('x', 3000), "-1", "99999999999999999999", "1e308", "NaN",
        "true", "null", "1999-01-01T00:00:00Z", "2026-11-20T10:00:00", "%C0%AF", "%FF%FE",
    ];

    private static readonly string[] HostileBodies =
    [
        "", "{", "[]", "null", "\"text\"", "12", "{\"a\":", "{\"note\":\"a\\u0000b\"}", "{\"id\":\"other\",\"name\":\"x\"}",
        "{\"startedAt\":\"1999-12-31T00:00:00Z\",\"completedAt\":\"2026-01-01T00:00:00\"}", "{\"ready\":\"maybe\",\"sessionMinutes\":\"lots\"}",
        "{\"patientRef\":\"MRN\\u001b[2J\",\"wardId\":\"paediatrics\",\"sessionMinutes\":30}", "{\"kind\":\"damage\",\"note\":" + new string('[', 5000) + "}",
        "{\"fms\":1e400,\"note\":\"x\"}", "{\"roles\":[1,2,3],\"password\":{}}", "\uFEFF{}", "{\"productId\":\"quat-wipe\",\"productId\":\"x\"}",
    ];

    private static readonly string[] PathValues = [.. HostileValues.Where(v => !v.Contains("%00", StringComparison.Ordinal))];

    private readonly FleetApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task HostileRequestsToEveryEndpointNeverGet500OrAStackTraceAndLeaveTheApiHealthy()
    {
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } t && (t.StartsWith("/api/", StringComparison.Ordinal) || t.StartsWith("/fhir/", StringComparison.Ordinal))
                && t != "/api/v1/stream") // answers for as long as the token lives, by design (StreamTests covers it)
            .Select(e => (Pattern: e.RoutePattern, Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .ToList();
        routes.Count.ShouldBeGreaterThan(40);
        var callers = new[] { await _app.ClientAs("admin"), await _app.ClientAs("nurse"), _app.CreateClient() };
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var failures = new List<string>();

        foreach (var (pattern, methods) in routes)
        {
            foreach (var method in methods)
            {
                for (var i = 0; i < RequestsPerEndpoint && clock.Elapsed < TimeBudget; i++)
                {
                    var path = string.Concat(pattern.PathSegments.Select(s => "/" + string.Concat(s.Parts.Select(p => p switch
                    {
                        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                        // A NUL in the path never reaches the app (Kestrel refuses the request line; the test host throws).
                        _ => Pick(random, PathValues),
                    }))));
                    var query = random.Next(3) == 0 ? "" : $"?from={Pick(random, HostileValues)}&to={Pick(random, HostileValues)}&limit={Pick(random, HostileValues)}" +
                        $"&patientRef={Pick(random, HostileValues)}&ward={Pick(random, HostileValues)}&ready={Pick(random, HostileValues)}&_count={Pick(random, HostileValues)}";
                    using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                    if (method is "POST" or "PUT")
                    {
                        var body = random.Next(4) == 0 ? RandomBytes(random) : Encoding.UTF8.GetBytes(Pick(random, HostileBodies));
                        request.Content = new ByteArrayContent(body);
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(5) == 0 ? "text/plain" : "application/json");
                    }
                    HttpResponseMessage response;
                    try
                    {
                        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                        response = await callers[random.Next(callers.Length)].SendAsync(request, patience.Token);
                    }
                    catch (TaskCanceledException)
                    {
                        failures.Add($"{method} {Short(path + query)} -> no answer within 15 s");
                        continue;
                    }
                    var text = await response.Content.ReadAsStringAsync();
                    sent++;
                    // 503 broker_unavailable is the documented answer to enrolling without a broker (this API runs without one).
                    var serverFault = (int)response.StatusCode >= 500 && !text.Contains("\"broker_unavailable\"", StringComparison.Ordinal);
                    if (serverFault || text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
                        failures.Add($"{method} {Short(path + query)} -> {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
                }
            }
        }

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(20)));
        sent.ShouldBeGreaterThan(400, $"only {sent} requests in {clock.Elapsed}");
        var verify = await (await _app.ClientAs("admin")).Get<AuditVerification>("/api/v1/audit/verify");
        verify.Intact.ShouldBeTrue(verify.Problem);
        (await _app.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string Short(string url) => url.Length > 200 ? url[..200] + "…" : url;

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }
}
