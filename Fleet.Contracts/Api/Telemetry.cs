namespace Fleet.Contracts.Api;

/// <summary>One point of a headset's telemetry series; older than the raw retention it is an hourly aggregate.</summary>
public sealed record TelemetryPoint
{
    public required DateTimeOffset At { get; init; }

    /// <summary>battery or device.</summary>
    public required string Kind { get; init; }

    /// <summary>True for an hourly aggregate (values are the hour's average, min or max as named).</summary>
    public required bool Aggregated { get; init; }
    public int? Samples { get; init; }
    public double? BatteryPercent { get; init; }
    public int? BatteryPercentMin { get; init; }
    public bool? Charging { get; init; }
    public double? TemperatureC { get; init; }
    public double? TemperatureMaxC { get; init; }
    public int? HealthPercent { get; init; }
    public int? CycleCount { get; init; }
    public long? StorageFreeMb { get; init; }
    public int? WifiRssi { get; init; }
}

public sealed record IngestStats
{
    public required long Received { get; init; }
    public required long Stored { get; init; }
    public required long Duplicates { get; init; }
    public required long DeadLettered { get; init; }
    public required IReadOnlyList<HeadsetIngestStats> Headsets { get; init; }
}

/// <summary>Per headset: the highest seq stored, and the ranges of seq never received.</summary>
public sealed record HeadsetIngestStats(string HeadsetId, long LastSeq, long Stored, long MissingCount, IReadOnlyList<SeqGap> Gaps);

public sealed record SeqGap(long From, long To);

public sealed record DeadLetterView
{
    public required long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Topic { get; init; }
    public required string Reason { get; init; }
    public required string Detail { get; init; }
    public string? HeadsetId { get; init; }

    /// <summary>The payload as received (at most the first 4 KiB), base64.</summary>
    public required string PayloadBase64 { get; init; }
    public required int PayloadBytes { get; init; }
}
