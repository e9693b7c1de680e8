using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Api.Tests.Support;
using Shouldly;

namespace Fleet.Api.Tests.OpenApi;

/// <summary>
/// docs/api/openapi-v1.json is the contract clients are generated from (this project generates its Kiota client from
/// it at build). It must be the document the API serves: a change to an endpoint shows up here as a failing test until
/// the file is refreshed (bash infra/openapi/refresh.sh), and so shows up in review.
/// </summary>
public sealed class CommittedDocumentTests : IDisposable
{
    public const string RefreshVariable = "FLEET_REFRESH_OPENAPI";
    private readonly FleetApp _app = new();

    public static string CommittedPath => Path.Combine(RepositoryRoot(), "docs", "api", "openapi-v1.json");

    [Fact]
    public async Task TheCommittedDocumentIsTheOneTheApiServes()
    {
        var served = Normalise(await _app.CreateClient().GetStringAsync("/openapi/v1.json"));
        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1") await File.WriteAllTextAsync(CommittedPath, served);
        var committed = File.Exists(CommittedPath) ? Normalise(await File.ReadAllTextAsync(CommittedPath)) : "(missing)";
        committed.ShouldBe(served, $"{CommittedPath} is not what the API serves: run bash infra/openapi/refresh.sh and review the diff.");
    }

    /// <summary>The servers list names whichever host answered; the contract is the rest.</summary>
    private static string Normalise(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fleet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Fleet.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _app.Dispose();
}
