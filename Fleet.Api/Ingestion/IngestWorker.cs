using System.Threading.Channels;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Observability;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Two stages, each in arrival order: every message is validated against the contract as the broker connection hands
/// it over (on the MQTT client's dispatch thread), and a writer commits everything waiting (up to BatchSize) in one
/// transaction (or in two or more, when a person's write queues meanwhile and the batch lets it go first) and only then
/// acknowledges it, so the two cores share the work. A batch that fails is retried message
/// by message, so one poison message is dead-lettered instead of blocking the stream; if even that cannot be stored
/// (the database is down) nothing is acknowledged and the writer waits and tries again, so the broker keeps the messages.
/// </summary>
public sealed class IngestWorker : BackgroundService
{
    private readonly Channel<ParsedMessage> _parsed = Channel.CreateBounded<ParsedMessage>(
        new BoundedChannelOptions(20_000) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly BrokerConnection _broker;
    private readonly IServiceScopeFactory _scopes;
    private readonly BrokerOptions _options;
    private readonly ILogger<IngestWorker> _log;

    private readonly CommitConfirmations _confirmations;
    private readonly FleetMetrics _metrics;
    private readonly TimeProvider _time;

    public IngestWorker(BrokerConnection broker, CommitConfirmations confirmations, IServiceScopeFactory scopes, IOptions<BrokerOptions> options,
        FleetMetrics metrics, TimeProvider time, ILogger<IngestWorker> log)
    {
        (_broker, _confirmations, _scopes, _options, _metrics, _time, _log) = (broker, confirmations, scopes, options.Value, metrics, time, log);
        broker.Consumer = ParseAsync;
    }

    // Committed messages wait here for their PUBACKs, in arrival order, so the writer goes on to the next batch while
    // MQTTnet writes one PUBACK after another to the socket (5,000 awaited writes in line were the writer's main wait).
    private readonly Channel<IncomingMessage[]> _committed = Channel.CreateUnbounded<IncomingMessage[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _broker.Enabled
            ? Task.WhenAll(Task.Run(() => WriteAsync(stoppingToken), stoppingToken), Task.Run(() => AcknowledgeAsync(stoppingToken), stoppingToken))
            : Task.CompletedTask;

    private async Task AcknowledgeAsync(CancellationToken ct)
    {
        await foreach (var messages in _committed.Reader.ReadAllAsync(ct))
            foreach (var m in messages) await m.AcknowledgeAsync();
    }

    private ValueTask ParseAsync(IncomingMessage message)
    {
        ParsedMessage parsed;
        try
        {
            parsed = ParsedMessage.Parse(message, _options.Topics);
        }
        catch (Exception e)
        {
            // Never let one message stop the stream: it goes to the dead letters with the reason.
            _log.LogError(e, "Parsing a message from {Topic} failed", message.Topic);
            parsed = ParsedMessage.Failed(message, new(DeadLetterReasons.ProcessingFailed, $"Parsing failed: {e.Message}"));
        }
        return _parsed.Writer.WriteAsync(parsed);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var reader = _parsed.Reader;
        var batch = new List<ParsedMessage>(_options.BatchSize);
        var gather = TimeSpan.FromMilliseconds(_options.GatherMilliseconds);
        while (await reader.WaitToReadAsync(ct))
        {
            batch.Clear();
            Take(reader, batch);
            // Group commit: under a moderate load each wake-up finds a handful of messages, and every commit writes and
            // syncs the same B-tree pages again. Waiting a moment when the batch is small lets one commit carry many.
            if (batch.Count < _options.BatchSize / 10 && gather > TimeSpan.Zero)
            {
                await Task.Delay(gather, ct); // a pacing interval, not business time
                Take(reader, batch);
            }
            try
            {
                await ProcessAsync(batch, ct);
            }
            finally
            {
                foreach (var m in batch) m.Dispose();
            }
        }
    }

    private void Take(ChannelReader<ParsedMessage> reader, List<ParsedMessage> batch)
    {
        while (batch.Count < _options.BatchSize && reader.TryRead(out var m)) batch.Add(m);
    }

    private async Task ProcessAsync(List<ParsedMessage> batch, CancellationToken ct)
    {
        var done = 0;
        while (done < batch.Count)
        {
            // A transaction may end early to let a person's write go first (see IngestProcessor); the rest follows.
            var taken = await TryAsync(done == 0 ? batch : batch.GetRange(done, batch.Count - done), ct);
            if (taken == 0) break;
            done += taken;
        }
        foreach (var message in batch.Skip(done))
        {
            var delay = TimeSpan.FromMilliseconds(200);
            while (await TryAsync([message], ct) == 0 && !await TryDeadLetterAsync(message.Message, ct))
            {
                _log.LogError("Cannot store message from {Topic}; retrying in {Delay}. It stays unacknowledged meanwhile.", message.Message.Topic, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Applies and commits the messages from the first; returns how many were committed, 0 if the transaction failed.</summary>
    private async Task<int> TryAsync(IReadOnlyList<ParsedMessage> messages, CancellationToken ct)
    {
        using var span = FleetMetrics.Tracing.StartActivity("ingest.batch");
        span?.SetTag("fleet.ingest.messages", messages.Count);
        var started = _time.GetTimestamp();
        var taken = 0;
        try
        {
            await using (var scope = _scopes.CreateAsyncScope())
            {
                var processor = scope.ServiceProvider.GetRequiredService<IngestProcessor>();
                taken = await processor.ProcessAsync(messages, ct);
                _confirmations.Committed(processor.Confirmable);
                Count(processor.Tally, taken, _time.GetElapsedTime(started));
            }
            span?.SetTag("fleet.ingest.committed", taken);
            _committed.Writer.TryWrite([.. messages.Take(taken).Select(m => m.Message)]);
            return taken;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            _log.LogWarning(e, "A batch of {Count} messages failed; retrying one by one", messages.Count);
            return 0;
        }
    }

    /// <summary>Counted after the commit only: a batch that fails and is retried one by one is counted once.</summary>
    private void Count(IngestTally tally, int messages, TimeSpan took)
    {
        var committedAt = _time.GetUtcNow();
        _metrics.Received(messages);
        _metrics.Stored(tally.StoredAt.Count);
        _metrics.Duplicates(tally.Duplicates);
        foreach (var reason in tally.DeadLettered) _metrics.DeadLettered(reason);
        foreach (var at in tally.StoredAt) _metrics.Lag(committedAt - at);
        _metrics.Committed(messages, took);
    }

    private async Task<bool> TryDeadLetterAsync(IncomingMessage message, CancellationToken ct)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeadLetterWriter>().WriteAsync(message,
                DeadLetterReasons.ProcessingFailed, "Applying this message failed twice; see the API log at this time.", ct);
            _metrics.Received(1);
            _metrics.DeadLettered(DeadLetterReasons.ProcessingFailed);
            _committed.Writer.TryWrite([message]);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Dead-lettering a message from {Topic} failed too", message.Topic);
            return false;
        }
    }
}

/// <summary>Stores one dead letter on its own, for messages whose processing threw.</summary>
public sealed class DeadLetterWriter(FleetDb db, Infrastructure.Writes.Writes writes, TimeProvider time)
{
    public async Task WriteAsync(IncomingMessage message, string reason, string detail, CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var counters = await db.Set<IngestCounters>().FindAsync([IngestCounters.SingletonId], ct);
        if (counters is null) db.Add(counters = new IngestCounters());
        counters.Received++;
        counters.DeadLettered++;
        db.Add(new DeadLetter
        {
            At = time.GetUtcNow(), Topic = message.Topic.Length > 300 ? message.Topic[..300] : message.Topic, Reason = reason, Detail = detail,
            Payload = message.Payload[..Math.Min(message.Payload.Length, Contracts.Mqtt.EventEnvelope.MaxPayloadBytes)].ToArray(),
            PayloadBytes = message.Payload.Length,
        });
        await write.CommitAsync(ct);
    }
}
