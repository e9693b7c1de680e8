using Fleet.Testing;
using Fleet.Testing.Processes;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>One real server (Fleet.Api or Fleet.Web), built by the solution, run on a free loopback port.</summary>
public sealed class ServerProcess(ChildProcess process, Uri url) : IAsyncDisposable
{
    public string Name => process.Name;
    public Uri Url { get; } = url;
    public string Log => process.Log;

    public static ServerProcess Start(string project, IReadOnlyDictionary<string, string> environment, string scheme = "http")
    {
        var url = new Uri($"{scheme}://127.0.0.1:{FreePort.Next()}");
        // Development unless the caller says otherwise.
        var all = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        foreach (var (k, v) in environment) all[k] = v;
        all["ASPNETCORE_URLS"] = url.ToString();
        return new(ChildProcess.StartDotnet(project, RepositoryPaths.Program(project), all), url);
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits until <paramref name="path"/> answers 200, or fails with the server's output.</summary>
    public Task WaitUntilReadyAsync(string path, TimeSpan patience) => process.WaitForHttpOkAsync(new Uri(Url, path).ToString(), patience);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
