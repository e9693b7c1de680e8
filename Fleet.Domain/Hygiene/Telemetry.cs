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

    public bool Online { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
}
