using Fleet.Testing;
using Fleet.Testing.Processes;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>One real server (Fleet.Api or Fleet.Web), built by the solution, run on a free loopback port.</summary>
public sealed class ServerProcess(ChildProcess process, Uri url) : IAsyncDisposable
{
    public string Name => process.Name;
    public Uri Url { get; } = url;
    public string Log => process.Log;

    public static ServerProcess Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var all = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        return new(ChildProcess.StartDotnet(project, RepositoryPaths.Program(project), all), url);
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, or fails with the server's output.</summary>
    public Task WaitUntilReadyAsync(string path, TimeSpan patience) => process.WaitForHttpOkAsync(new Uri(Url, path).ToString(), patience);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
