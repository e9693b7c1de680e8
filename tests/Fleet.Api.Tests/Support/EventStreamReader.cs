using System.Net.Http.Headers;
using System.Text;

namespace Fleet.Api.Tests.Support;

/// <summary>Reads a text/event-stream response line by line: comments and events, as a browser's EventSource would.</summary>
public sealed class EventStreamReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public HttpResponseMessage Response { get; } = response;

    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStreamReader(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    /// <summary>The next block (lines up to a blank line), or null when the server ended the stream.</summary>
    public async Task<IReadOnlyList<string>?> NextBlockAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (lines.Count > 0) return lines;
                continue;
            }
            lines.Add(line);
        }
        return lines.Count > 0 ? lines : null;
    }

    /// <summary>The next event of the given name, skipping comments (heartbeats) and other events; its data.</summary>
    public async Task<string> NextEventAsync(string name)
    {
        while (await NextBlockAsync() is { } block)
        {
            if (block.Contains($"event: {name}"))
                return string.Join("\n", block.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
        }
        throw new InvalidOperationException($"The stream ended before an event '{name}' arrived.");
    }

    public void Dispose()
    {
        reader.Dispose();
        Response.Dispose();
    }
}
