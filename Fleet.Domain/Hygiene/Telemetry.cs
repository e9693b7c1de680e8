namespace Fleet.Domain.Hygiene;

/// <summary>The latest facts a headset's agent reported. History lives in the telemetry time series.</summary>
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

    /// <summary>Online counts only while the headset was heard from within the ward's offline window: a headset whose
    /// connection died without a Will (power cut, broker restart) stops counting as online by itself.</summary>
    public bool IsOnline(DateTimeOffset now, TimeSpan offlineAfter) => Online && LastSeenAt is { } seen && now - seen < offlineAfter;
}
