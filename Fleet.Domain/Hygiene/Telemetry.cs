namespace Fleet.Domain.Hygiene;

/// <summary>
/// The latest facts a headset's agent reported, and the rules for them: which reading is newer and wins, the battery
/// cycle count that never goes down, and when the headset counts as online. History lives in the telemetry series.
/// </summary>
public sealed class Telemetry
{
    public int? BatteryPercent { get; set; }
    public bool? Charging { get; set; }
    public double? BatteryTemperatureC { get; set; }
    public int? BatteryHealthPercent { get; set; }
    public int? BatteryCycleCount { get; set; }
    public DateTimeOffset? BatteryAt { get; set; }

    public string? DeviceModel { get; set; }
    public string? Firmware { get; set; }
    public string? Os { get; set; }
    public long? StorageFreeMb { get; set; }
    public int? WifiRssi { get; set; }
    public DateTimeOffset? DeviceInfoAt { get; set; }

    /// <summary>What the agent last said of its connection (its status message or its Last Will).</summary>
    public bool Online { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>
    /// A reading taken at <paramref name="at"/> replaces the one taken at <paramref name="latest"/> only if it is not
    /// older: an outbox replaying old events must not roll the state back. (Equal times: the later arrival wins.)
    /// </summary>
    public static bool IsNewer(DateTimeOffset at, DateTimeOffset? latest) => latest is not { } l || l <= at;

    /// <summary>The battery cycles counted so far: the count never goes down, whatever a (replaced) battery reports.</summary>
    public static int BatteryCycles(int counted, int? reported) => Math.Max(counted, reported ?? 0);

    /// <summary>Not heard from for the ward's offline time (or longer).</summary>
    public static bool IsSilent(DateTimeOffset? lastSeenAt, DateTimeOffset now, TimeSpan offlineAfter) =>
        lastSeenAt is { } seen && now - seen >= offlineAfter;

    /// <summary>Online: the agent said so (or was heard from) and has not been silent for the ward's offline time.</summary>
    public bool IsOnline(DateTimeOffset now, TimeSpan offlineAfter) => Online && LastSeenAt is not null && !IsSilent(LastSeenAt, now, offlineAfter);

    /// <summary>A battery reading: applied when it is newer; absent optional values keep the ones known.</summary>
    public bool ApplyBattery(DateTimeOffset at, int percent, bool charging, double? temperatureC, int? healthPercent, int? cycleCount, HeadsetCounters counters)
    {
        if (!IsNewer(at, BatteryAt)) return false;
        (BatteryPercent, Charging, BatteryAt) = (percent, charging, at);
        BatteryTemperatureC = temperatureC ?? BatteryTemperatureC;
        BatteryHealthPercent = healthPercent ?? BatteryHealthPercent;
        BatteryCycleCount = cycleCount ?? BatteryCycleCount;
        counters.BatteryCycles = BatteryCycles(counters.BatteryCycles, cycleCount);
        return true;
    }

    /// <summary>A device-info reading: applied when it is newer; absent values keep the ones known.</summary>
    public bool ApplyDeviceInfo(DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi)
    {
        if (!IsNewer(at, DeviceInfoAt)) return false;
        DeviceInfoAt = at;
        DeviceModel = model ?? DeviceModel;
        Firmware = firmware ?? Firmware;
        Os = os ?? Os;
        StorageFreeMb = storageFreeMb ?? StorageFreeMb;
        WifiRssi = wifiRssi ?? WifiRssi;
        return true;
    }
}
