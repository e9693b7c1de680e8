using System.Diagnostics;
using System.Globalization;

namespace Fleet.Agent.Simulation;

/// <summary>This process's CPU (in cores: CPU seconds per wall-clock second) and memory, as Linux reports them.</summary>
internal sealed class ProcessMeter
{
    private readonly Process _self = Process.GetCurrentProcess();
    private TimeSpan _lastCpu;
    private long _lastTicks = Stopwatch.GetTimestamp();

    public TimeSpan Cpu
    {
        get
        {
            _self.Refresh();
            return _self.TotalProcessorTime;
        }
    }

    /// <summary>Cores used since the previous call.</summary>
    public double CoresSinceLast()
    {
        var cpu = Cpu;
        var now = Stopwatch.GetTimestamp();
        var cores = (cpu - _lastCpu).TotalSeconds / Stopwatch.GetElapsedTime(_lastTicks, now).TotalSeconds;
        (_lastCpu, _lastTicks) = (cpu, now);
        return cores;
    }

    /// <summary>Resident memory now and its peak (VmRSS, VmHWM from /proc/self/status), in MB; the managed heap elsewhere.</summary>
    public static (double RssMb, double PeakMb) Memory()
    {
        double rss = 0, peak = 0;
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line) / 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line) / 1024;
            }
        }
        else
        {
            rss = peak = Environment.WorkingSet / 1024.0 / 1024;
        }
        return (rss, peak);
    }

    private static double Kb(string line) =>
        double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
