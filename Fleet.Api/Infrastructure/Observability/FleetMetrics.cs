using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fleet.Api.Infrastructure.Observability;

/// <summary>
/// Fleet's own instruments, one meter ("Fleet.Api") exported through OpenTelemetry. The counters count what this
/// process did since it started (Prometheus takes rates from them); the gauges read <see cref="FleetGauges"/>'s latest
/// snapshot of the database, so a scrape never queries it.
/// </summary>
public sealed class FleetMetrics
{
    public const string MeterName = "Fleet.Api";

    /// <summary>Spans from MQTT receipt to commit, and around every write transaction of a request.</summary>
    public static readonly ActivitySource Tracing = new(MeterName);

    private readonly Counter<long> _received, _stored, _duplicates, _deadLettered, _decisions, _jobRuns;
    private readonly Histogram<double> _lag, _commitSeconds, _lockWait, _lockHeld, _writeCommit;
    private readonly Histogram<int> _batchSize;

    public FleetMetrics(IMeterFactory meters, FleetGauges gauges)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("fleet.ingest.received", "{event}", "Messages taken from the broker.");
        _stored = meter.CreateCounter<long>("fleet.ingest.stored", "{event}", "Events stored for the first time.");
        _duplicates = meter.CreateCounter<long>("fleet.ingest.duplicates", "{event}", "Events received again and ignored.");
        _deadLettered = meter.CreateCounter<long>("fleet.ingest.dead_lettered", "{event}", "Messages dead-lettered, by reason.");
        _lag = meter.CreateHistogram("fleet.ingest.lag", "s", "Commit time minus the event's own time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600] });
        _batchSize = meter.CreateHistogram<int>("fleet.ingest.batch.size", "{message}", "Messages committed in one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000] });
        _commitSeconds = meter.CreateHistogram("fleet.ingest.commit.duration", "s", "Time to apply and commit one batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        // Where a write's time goes (the gate's latency under ingest load): queued for the one write lock, holding it, and
        // of that the commit (the sync to disk). Tagged person or background (ingestion).
        double[] writeBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
        _lockWait = meter.CreateHistogram("fleet.writes.lock.wait", "s", "Time a write waited for the write lock.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = writeBuckets });
        _lockHeld = meter.CreateHistogram("fleet.writes.lock.held", "s", "Time a write held the write lock (its transaction).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = writeBuckets });
        _writeCommit = meter.CreateHistogram("fleet.writes.commit.duration", "s", "Time to save and commit a write's transaction.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = writeBuckets });
        _decisions = meter.CreateCounter<long>("fleet.assignment.decisions", "{decision}", "Assignment gate answers, by outcome and reason code.");
        _jobRuns = meter.CreateCounter<long>("fleet.jobs.runs", "{run}", "Scheduled job runs, by job and outcome.");

        meter.CreateObservableGauge("fleet.headsets", () => gauges.Current.Headsets.Select(h =>
            new Measurement<long>(h.Count, new("hygiene_state", h.State), new("online", h.Online ? "true" : "false"))), "{headset}",
            "Headsets by hygiene state and whether they are online.");
        meter.CreateObservableGauge("fleet.ingest.unconfirmed", () => gauges.Current.Unconfirmed.Select(u =>
            new Measurement<long>(u.Missing, new KeyValuePair<string, object?>("headset", u.HeadsetId))), "{event}",
            "Per headset, the events below its highest stored seq that never arrived: the agent keeps them until confirmed.");
        meter.CreateObservableGauge("fleet.ehr.outbox.depth", () => gauges.Current.EhrDepth, "{resource}", "Resources waiting to be sent to the EHR.");
        meter.CreateObservableGauge("fleet.ehr.outbox.age", () => gauges.Current.EhrOldestSeconds, "s", "Age of the oldest resource waiting for the EHR.");
    }

    public void Received(int count) => _received.Add(count);
    public void Stored(long count) => _stored.Add(count);
    public void Duplicates(long count) => _duplicates.Add(count);
    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void Lag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));

    public void Committed(int messages, TimeSpan took)
    {
        _batchSize.Record(messages);
        _commitSeconds.Record(took.TotalSeconds);
    }

    public void LockWaited(bool person, TimeSpan took) => _lockWait.Record(took.TotalSeconds, Priority(person));
    public void LockHeld(bool person, TimeSpan took) => _lockHeld.Record(took.TotalSeconds, Priority(person));
    public void WriteCommitted(bool person, TimeSpan took) => _writeCommit.Record(took.TotalSeconds, Priority(person));

    private static KeyValuePair<string, object?> Priority(bool person) => new("priority", person ? "person" : "background");

    /// <summary>One gate answer: reason is the first blocking code, or "ready".</summary>
    public void Decision(bool assigned, string reason) =>
        _decisions.Add(1, new("outcome", assigned ? "assigned" : "refused"), new("reason", reason));

    public void JobRun(string job, bool succeeded) => _jobRuns.Add(1, new("job", job), new("outcome", succeeded ? "succeeded" : "failed"));
}
