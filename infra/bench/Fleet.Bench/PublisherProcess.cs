using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fleet.Bench;

/// <summary>
/// The load generator in a process of its own, at a lower CPU priority (nice). It stands in for headsets on the
/// hospital network: in service they bring their own CPUs, so here it should not take CPU time from the broker and the
/// API, which run at normal priority. The accounts go over stdin, never on the command line.
/// </summary>
public static class PublisherProcess
{
    /// <summary>Starts <c>Fleet.Bench publish</c> under <c>nice -n <paramref name="nice"/></c>; ends with the acknowledged count and the child's CPU seconds.</summary>
    public static async Task<(long Acked, double CpuSeconds)> RunAsync(string host, int port, IReadOnlyList<Publisher> publishers, TimeSpan duration, int rate, int nice)
    {
        var start = new ProcessStartInfo("nice") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-n", nice.ToString(CultureInfo.InvariantCulture), Environment.ProcessPath!, typeof(PublisherProcess).Assembly.Location, "publish",
                     "--host", host, "--port", port.ToString(CultureInfo.InvariantCulture), "--seconds", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                     "--rate", rate.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(publishers));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The publisher process failed with exit code {process.ExitCode}");
        var fields = output.Trim().Split(' ');
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: reads the accounts from stdin, publishes, prints the acknowledged count and its own CPU seconds.</summary>
    public static async Task<int> MainAsync(string host, int port, int seconds, int rate)
    {
        var publishers = JsonSerializer.Deserialize<List<Publisher>>(await Console.In.ReadLineAsync() ?? "[]")!;
        var acked = await new LoadPublisher(host, port, publishers).RunAsync(TimeSpan.FromSeconds(seconds), rate, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{acked} {Environment.CpuUsage.TotalTime.TotalSeconds}"));
        return 0;
    }
}
