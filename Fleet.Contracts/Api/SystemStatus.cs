namespace Fleet.Contracts.Api;

/// <summary>How Fleet itself is doing (GET /api/v1/system, biomed and admin): what the System page shows.</summary>
public sealed record SystemStatus
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The last hour, one entry per minute that had traffic, summed over every instance.</summary>
    public required IReadOnlyList<IngestMinute> Ingest { get; init; }
    public required BrokerQueue Broker { get; init; }
    public required IReadOnlyList<DeadLetterCount> DeadLetters { get; init; }
    public required IReadOnlyList<JobRunView> Jobs { get; init; }
    public required EhrQueue Ehr { get; init; }
    public required IReadOnlyList<InstanceView> Instances { get; init; }
}

/// <summary>Events stored in one minute, and the lag (commit time minus the event's own time) of those events.</summary>
public sealed record IngestMinute(DateTimeOffset Minute, long Stored, double? LagP50Seconds, double? LagP99Seconds);

/// <summary>
/// What the broker reports in its <c>$SYS</c> tree, as read by the instance that answered; null values when it could
/// not be read (<see cref="Note"/> says why). Queued = messages held in the broker's store minus retained ones.
/// </summary>
public sealed record BrokerQueue(long? StoredMessages, long? RetainedMessages, long? QueuedMessages, long? ClientsConnected, DateTimeOffset? ReadAt, string? Note);

public sealed record DeadLetterCount(string Reason, long Total, long LastHour, DateTimeOffset LatestAt);

/// <summary>The latest run of a scheduled job on any instance.</summary>
public sealed record JobRunView(string Job, bool Succeeded, DateTimeOffset At, string Instance);

public sealed record EhrQueue(long Pending, double? OldestSeconds, long Rejected);

/// <summary>One API instance as it last reported itself (its own /health/ready result), every ~15 s.</summary>
public sealed record InstanceView(string Id, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Current, string Status, IReadOnlyList<HealthCheckView> Checks);

public sealed record HealthCheckView(string Name, string Status, string Description);
