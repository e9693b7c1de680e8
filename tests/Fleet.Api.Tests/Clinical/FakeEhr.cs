using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Api.Tests.Clinical;

/// <summary>
/// A tiny FHIR endpoint on 127.0.0.1 and a free port: it accepts PUT {base}/{type}/{id}, or answers 503 while it is
/// down (for its first <c>failFirst</c> requests, or while <see cref="Down"/> is set).
/// </summary>
public sealed class FakeEhr : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _changed = new(0);
    private int _failuresLeft;

    private FakeEhr(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public volatile bool Down;

    /// <summary>Resource types this EHR refuses with 422, as an EHR does with a resource it cannot take.</summary>
    public HashSet<string> Refuses { get; } = [];
    public ConcurrentDictionary<string, JsonObject> Stored { get; } = new();
    public ConcurrentQueue<(string Path, int Status)> Requests { get; } = new();
    public int Failures => Requests.Count(r => r.Status == StatusCodes.Status503ServiceUnavailable);
    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeEhr> StartAsync(int failFirst = 0, bool down = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ehr = new FakeEhr(app, failFirst) { Down = down };
        app.MapPut("/fhir/{type}/{id}", ehr.PutAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        ehr.BaseUrl = address + "/fhir";
        return ehr;
    }

    private async Task<IResult> PutAsync(string type, string id, HttpRequest request)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(request.Body))!;
        var status = Down || Interlocked.Decrement(ref _failuresLeft) >= 0 ? StatusCodes.Status503ServiceUnavailable
            : Refuses.Contains(type) ? StatusCodes.Status422UnprocessableEntity
            : StatusCodes.Status200OK;
        if (status == StatusCodes.Status200OK) Stored[$"{type}/{id}"] = body;
        Requests.Enqueue((request.Path, status));
        _changed.Release();
        return status == StatusCodes.Status200OK
            ? Results.Text(body.ToJsonString(), "application/fhir+json")
            : Results.Text($$"""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"{{(status == 503 ? "transient" : "business-rule")}}"}]}""",
                "application/fhir+json", statusCode: status);
    }

    public IReadOnlyList<JsonObject> StoredOf(string type) =>
        Stored.Where(kv => kv.Key.StartsWith(type + "/", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();

    /// <summary>Waits, request by request, until the condition holds; fails after the timeout.</summary>
    public async Task WaitUntilAsync(Func<FakeEhr, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(this))
        {
            try { await _changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"The EHR did not get there in time; it saw {string.Join(", ", Requests)}."); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
