using System.Text.Json;

namespace Fleet.Contracts.Mqtt;

/// <summary>One event from an agent (mqtt-contract.md, "Event envelope").</summary>
public sealed record EventEnvelope
{
    /// <summary>Maximum payload the API accepts; larger is dead-lettered.</summary>
    public const int MaxPayloadBytes = 4096;

    public required Guid Id { get; init; }
    public required string Headset { get; init; }
    public required long Seq { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset At { get; init; }
    public required JsonElement Data { get; init; }
}

/// <summary>The event types of the contract.</summary>
public static class EventTypes
{
    public const string Heartbeat = "heartbeat";
    public const string DeviceInfo = "device.info";
    public const string Battery = "battery";
    public const string Worn = "worn";
    public const string SessionStarted = "session.started";
    public const string SessionEnded = "session.ended";
    public const string CleaningCompleted = "cleaning.completed";
    public const string ComfortReport = "comfort.report";
    public const string CommandResult = "command.result";

    public static readonly IReadOnlyList<string> All =
        [Heartbeat, DeviceInfo, Battery, Worn, SessionStarted, SessionEnded, CleaningCompleted, ComfortReport, CommandResult];

    /// <summary>Telemetry may be thinned by an agent whose outbox is full; the rest never may.</summary>
    public static bool IsTelemetry(string type) => Telemetry.Contains(type);

    /// <summary>The telemetry types (for queries; <see cref="IsTelemetry"/> reads the same list).</summary>
    public static readonly IReadOnlyList<string> Telemetry = [Heartbeat, DeviceInfo, Battery];
}

public sealed record HeartbeatData(long UptimeS, string AgentVersion);

public sealed record DeviceInfoData(string? Model, string? Serial, string? Firmware, string? Os, long? StorageFreeMb, int? WifiRssi);

public sealed record BatteryData(int Percent, bool Charging, double? TemperatureC, int? HealthPercent, int? CycleCount);

public sealed record WornData(bool On);

public sealed record SessionStartedData(Guid? SessionId, string? App);

public sealed record SessionEndedData(Guid? SessionId, string? App, long WearSeconds, double? FpsAvg, double? DroppedFramePercent, int? TrackingLostCount);

public sealed record CleaningCompletedData(string Method, string? CabinetId, int CycleSeconds, bool Completed);

public sealed record ComfortReportData(Guid? SessionId, int? Fms, string? Note);

public sealed record CommandResultData(Guid CommandId, bool Ok, string? Detail);
