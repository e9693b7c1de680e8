using System.Globalization;
using Fleet.Contracts.Mqtt;

namespace Fleet.Agent.Core.Probes.Adb;

/// <summary>One line of <c>adb devices -l</c>: serial, state (device, offline, unauthorized, ...) and the model if listed.</summary>
public sealed record AdbDevice(string Serial, string State, string? Model);

/// <summary>
/// <c>adb shell dumpsys battery</c> as Android's BatteryService prints it ("Current Battery Service state:" then
/// "  key: value" lines). Status and health are BatteryManager's codes; temperature is in tenths of a degree Celsius.
/// </summary>
public sealed record DumpsysBattery
{
    public int? Level { get; init; }
    public int Scale { get; init; } = 100;
    public int? Status { get; init; }
    public int? Health { get; init; }
    public bool? Present { get; init; }
    public bool AcPowered { get; init; }
    public bool UsbPowered { get; init; }
    public bool WirelessPowered { get; init; }
    public bool DockPowered { get; init; }
    public int? TemperatureTenthsC { get; init; }
    public int? VoltageMv { get; init; }
    public long? ChargeCounterMicroAh { get; init; }
    public string? Technology { get; init; }

    /// <summary>Samsung's <c>mSavedBatteryAsoc</c>: remaining capacity as a share of design capacity, the one capacity-based health figure the dump can carry.</summary>
    public int? CapacityHealthPercent { get; init; }

    /// <summary>"(UPDATES STOPPED -- use 'reset' to restart)": someone froze the values with <c>dumpsys battery set</c>.</summary>
    public bool UpdatesStopped { get; init; }

    public const int StatusCharging = 2;
    public const int StatusFull = 5;

    public bool Powered => AcPowered || UsbPowered || WirelessPowered || DockPowered;

    /// <summary>BatteryManager.BATTERY_STATUS_*: 1 unknown, 2 charging, 3 discharging, 4 not charging, 5 full.</summary>
    public string StatusName => Status switch
    {
        1 => "unknown", 2 => "charging", 3 => "discharging", 4 => "not charging", 5 => "full", null => "not reported", _ => $"code {Status}",
    };

    /// <summary>BatteryManager.BATTERY_HEALTH_*: 1 unknown, 2 good, 3 overheat, 4 dead, 5 over voltage, 6 unspecified failure, 7 cold.</summary>
    public string HealthName => Health switch
    {
        1 => "unknown", 2 => "good", 3 => "overheat", 4 => "dead", 5 => "over voltage", 6 => "unspecified failure", 7 => "cold",
        null => "not reported", _ => $"code {Health}",
    };

    /// <summary>Health codes a biomedical engineer should hear about (the contract has no field for them).</summary>
    public bool HealthIsBad => Health is 3 or 4 or 5 or 6 or 7;

    /// <summary>
    /// The contract's battery event. <c>charging</c> is status "charging" only: full or "not charging" on the cart is not
    /// taking charge. <c>healthPercent</c> only from a capacity-based figure (the health code is a category, not a
    /// percentage), <c>cycleCount</c> is not in this dump at all: both stay null rather than guessed.
    /// </summary>
    public BatteryData? ToContract()
    {
        if (Level is not { } level || Scale <= 0) return null;
        var percent = (int)Math.Round(Math.Clamp(level * 100.0 / Scale, 0, 100));
        return new BatteryData(percent, Status == StatusCharging, TemperatureTenthsC / 10.0,
            CapacityHealthPercent is >= 0 and <= 100 ? CapacityHealthPercent : null, null);
    }
}

/// <summary>Pure parsers of adb's text output, tested on recorded outputs.</summary>
public static class AdbOutput
{
    public static IReadOnlyList<AdbDevice> ParseDevices(string output)
    {
        var devices = new List<AdbDevice>();
        foreach (var raw in Lines(output))
        {
            var line = raw.Trim();
            // "List of devices attached", and "* daemon not running; starting now at tcp:5037" on a cold start.
            if (line.Length == 0 || line.StartsWith('*') || line.StartsWith("List of devices", StringComparison.Ordinal)) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            var model = parts.Skip(2).FirstOrDefault(p => p.StartsWith("model:", StringComparison.Ordinal))?["model:".Length..].Replace('_', ' ');
            devices.Add(new AdbDevice(parts[0], parts[1], model));
        }
        return devices;
    }

    /// <summary>Null when the text is not a battery dump (an error message, an empty answer).</summary>
    public static DumpsysBattery? ParseBattery(string output)
    {
        var lines = Lines(output);
        var start = Array.FindIndex(lines, l => l.Trim().StartsWith("Current Battery Service state:", StringComparison.Ordinal));
        if (start < 0) return null;
        var b = new DumpsysBattery();
        foreach (var raw in lines.Skip(start + 1))
        {
            var line = raw.Trim();
            if (line.StartsWith("(UPDATES STOPPED", StringComparison.Ordinal)) { b = b with { UpdatesStopped = true }; continue; }
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            b = key switch
            {
                "AC powered" => b with { AcPowered = Bool(value) },
                "USB powered" => b with { UsbPowered = Bool(value) },
                "Wireless powered" => b with { WirelessPowered = Bool(value) },
                "Dock powered" => b with { DockPowered = Bool(value) },
                "Charge counter" => b with { ChargeCounterMicroAh = Long(value) },
                "status" => b with { Status = Int(value) },
                "health" => b with { Health = Int(value) },
                "present" => b with { Present = bool.TryParse(value, out var p) ? p : null },
                "level" => b with { Level = Int(value) },
                "scale" => b with { Scale = Int(value) ?? 100 },
                "voltage" => b with { VoltageMv = Int(value) },
                "temperature" => b with { TemperatureTenthsC = Int(value) },
                "technology" => b with { Technology = value.Length == 0 ? null : value },
                "mSavedBatteryAsoc" => b with { CapacityHealthPercent = Int(value) },
                _ => b,
            };
        }
        return b;
    }

    /// <summary><c>getprop</c> lines: <c>[ro.product.model]: [Quest 3]</c>.</summary>
    public static IReadOnlyDictionary<string, string> ParseGetprop(string output)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in Lines(output))
        {
            var line = raw.Trim();
            var split = line.IndexOf("]: [", StringComparison.Ordinal);
            if (!line.StartsWith('[') || !line.EndsWith(']') || split < 0) continue;
            props[line[1..split]] = line[(split + 4)..^1];
        }
        return props;
    }

    /// <summary>Free megabytes from <c>df -k /data</c> (toybox: Filesystem 1K-blocks Used Available Use% Mounted on).</summary>
    public static long? ParseDfAvailableMb(string output)
    {
        var lines = Lines(output).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count < 2 || !lines[0].Contains("Available", StringComparison.Ordinal)) return null;
        // Counted from the end (Available, Use%, mount point): a long filesystem name may wrap onto a line of its own.
        var values = lines[^1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return values.Length >= 4 && long.TryParse(values[^3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb / 1024 : null;
    }

    private static string[] Lines(string output) => output.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    private static bool Bool(string value) => bool.TryParse(value, out var b) && b;

    private static int? Int(string value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? Long(string value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
