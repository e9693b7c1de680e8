using System.Threading.Channels;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Two stages, each on its own thread and in arrival order: a parser validates each message against the contract,
/// and a writer commits everything waiting (up to BatchSize) in one transaction and only then acknowledges it.
/// A batch that fails is retried message by message, so one poison message is dead-lettered instead of blocking
/// the stream; if even that cannot be stored (the database is down) nothing is acknowledged and the writer waits
/// and tries again, so the broker keeps the messages.
/// </summary>
public sealed class IngestWorker(BrokerConnection broker, IServiceScopeFactory scopes, IOptions<BrokerOptions> options,
    ILogger<IngestWorker> log) : BackgroundService
{
    private readonly Channel<ParsedMessage> _parsed = Channel.CreateBounded<ParsedMessage>(
        new BoundedChannelOptions(20_000) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!broker.Enabled) return Task.CompletedTask;
        return Task.WhenAll(Task.Run(() => ParseAsync(stoppingToken), stoppingToken), Task.Run(() => WriteAsync(stoppingToken), stoppingToken));
    }

    private async Task ParseAsync(CancellationToken ct)
    {
        var topics = options.Value.Topics;
        await foreach (var message in broker.Incoming.Reader.ReadAllAsync(ct))
        {
            ParsedMessage parsed;
            try
            {
                parsed = ParsedMessage.Parse(message, topics);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never let one message stop the parser: it goes to the dead letters with the reason.
                log.LogError(e, "Parsing a message from {Topic} failed", message.Topic);
                parsed = ParsedMessage.Failed(message, new(DeadLetterReasons.ProcessingFailed, $"Parsing failed: {e.Message}"));
            }
            await _parsed.Writer.WriteAsync(parsed, ct);
        }
        _parsed.Writer.TryComplete();
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var reader = _parsed.Reader;
        var batch = new List<ParsedMessage>(options.Value.BatchSize);
        while (await reader.WaitToReadAsync(ct))
        {
            batch.Clear();
            while (batch.Count < options.Value.BatchSize && reader.TryRead(out var m)) batch.Add(m);
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

    private async Task ProcessAsync(List<ParsedMessage> batch, CancellationToken ct)
    {
        if (await TryAsync(batch, ct)) return;
        foreach (var message in batch)
        {
            var delay = TimeSpan.FromMilliseconds(200);
            while (!await TryAsync([message], ct) && !await TryDeadLetterAsync(message.Message, ct))
            {
                log.LogError("Cannot store message from {Topic}; retrying in {Delay}. It stays unacknowledged meanwhile.", message.Message.Topic, delay);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task<bool> TryAsync(IReadOnlyList<ParsedMessage> messages, CancellationToken ct)
    {
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<IngestProcessor>().ProcessAsync(messages, ct);
            foreach (var m in messages) await m.Message.AcknowledgeAsync();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "A batch of {Count} messages failed; retrying one by one", messages.Count);
            return false;
        }
    }

    private async Task<bool> TryDeadLetterAsync(IncomingMessage message, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeadLetterWriter>().WriteAsync(message,
                DeadLetterReasons.ProcessingFailed, "Applying this message failed twice; see the API log at this time.", ct);
            await message.AcknowledgeAsync();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Dead-lettering a message from {Topic} failed too", message.Topic);
            return false;
        }
    }
}

/// <summary>Stores one dead letter on its own, for messages whose processing threw.</summary>
public sealed class DeadLetterWriter(FleetDb db, Infrastructure.Writes.Writes writes, TimeProvider time)
{
    public async Task WriteAsync(IncomingMessage message, string reason, string detail, CancellationToken ct)
    {
        await using var write = await writes.BeginAsync(ct);
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
