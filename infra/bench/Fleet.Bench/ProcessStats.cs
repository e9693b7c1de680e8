using System.Globalization;

namespace Fleet.Bench;

/// <summary>CPU time and peak memory of a process, read from /proc (Linux).</summary>
public static class ProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User + system CPU seconds used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: state is field 3; utime and stime are fields 14 and 15 (1-based) of the full line.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Peak resident memory (VmHWM) in MiB.</summary>
    public static double PeakMemoryMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024.0;

    private static long StatusKiB(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public static string Hardware()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKiB = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{Environment.ProcessorCount} cores ({model}), {memKiB / 1024 / 1024} GiB RAM, {Environment.OSVersion}";
    }
}

/// <summary>Where the CPU went over a phase: the whole machine (/proc/stat) and each named process.</summary>
public sealed class CpuAccount(IReadOnlyDictionary<string, int> processes)
{
    private readonly Dictionary<string, double> _start = processes.ToDictionary(p => p.Key, p => ProcessStats.CpuSeconds(p.Value));
    private readonly (long Busy, long Total) _machine = Machine();
    private readonly long _began = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Cores used by each process and by the machine since this account was opened, in a line of words.</summary>
    public string Line(IReadOnlyDictionary<string, double>? extraCpuSeconds = null)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_began).TotalSeconds;
        var (busy, total) = Machine();
        var machine = (double)(busy - _machine.Busy) / Math.Max(1, total - _machine.Total) * Environment.ProcessorCount;
        var parts = processes.Select(p => $"{p.Key} {(ProcessStats.CpuSeconds(p.Value) - _start[p.Key]) / seconds:N2}")
            .Concat((extraCpuSeconds ?? new Dictionary<string, double>()).Select(e => $"{e.Key} {e.Value / seconds:N2}"));
        return $"machine busy {machine:N2} of {Environment.ProcessorCount} cores; {string.Join(", ", parts)} cores";
    }

    private static (long Busy, long Total) Machine()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var idle = f[3] + f[4];
        return (f.Sum() - idle, f.Sum());
    }
}
