using System.Text.Json;
using Fleet.Api.Broker;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Mqtt;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Applies a batch of broker messages in ONE transaction: validate, store each event at most once per (headset, id),
/// apply it through the same services the REST API uses, dead-letter what cannot be applied, keep the counters.
/// The caller acknowledges the messages only after this returns, i.e. after the commit.
/// </summary>
public sealed class IngestProcessor(FleetDb db, Writes writes, AuditTrail audit, EventApplier applier, TimeProvider time)
{
    /// <summary>
    /// After <see cref="ProcessAsync"/>: the seq ranges, as committed, of every headset that had an event in the batch
    /// (stored, a duplicate, or dead-lettered), for its commit confirmation.
    /// </summary>
    public Dictionary<string, SeqRanges> Confirmable { get; } = [];

    /// <summary>After <see cref="ProcessAsync"/>: what the batch came to, for the metrics once it is committed.</summary>
    public IngestTally Tally { get; } = new();

    /// <summary>
    /// Applies the batch's messages in order and commits them; returns how many, from the first, were applied. That is
    /// all of them unless a person's write queued for the lock meanwhile: then the processor commits what it has done
    /// and returns, and the caller goes on with the rest in a new transaction. A nurse at the gate waits for one
    /// message's work and a commit, not for a batch of a thousand (tens of milliseconds under load).
    /// </summary>
    public async Task<int> ProcessAsync(IReadOnlyList<ParsedMessage> batch, CancellationToken ct)
    {
        await using var write = await writes.BeginBackgroundAsync(ct);
        var now = time.GetUtcNow();
        using var sql = IngestWriters.Open(db); // inside the scope's transaction

        var ids = batch.Select(p => p.HeadsetId).OfType<string>().Distinct().ToList();
        var headsets = await db.Headsets.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var known = headsets.ToDictionary(h => h.Key, h => (Retired: h.Value.RetiredAt != null, h.Value.Telemetry.Online));
        await sql.PrepareAsync([.. batch.Select(p => p.Event).OfType<ValidEvent>().Select(e => (e.HeadsetId, e.Id))], headsets, ct);
        // Read untracked: the batch writes each headset's row back through the ingest writer (IIngestWriter.Stats).
        var stats = await db.Set<IngestHeadsetStats>().AsNoTracking().Where(s => ids.Contains(s.HeadsetId)).ToDictionaryAsync(s => s.HeadsetId, ct);
        var ranges = stats.ToDictionary(s => s.Key, s => SeqRanges.Parse(s.Value.Ranges));
        var counters = await db.Set<IngestCounters>().FindAsync([IngestCounters.SingletonId], ct);
        if (counters is null) db.Add(counters = new IngestCounters());
        var seen = new HashSet<string>();
        var stored = new Dictionary<string, long>(); // events stored by this batch, per headset

        var taken = 0;
        foreach (var p in batch)
        {
            if (taken > 0 && write.PersonWaiting) break;
            taken++;
            counters.Received++;
            var rejection = p.Rejection;
            if (rejection is null && !known.TryGetValue(p.HeadsetId!, out var h))
                rejection = new(DeadLetterReasons.UnknownHeadset, $"No headset '{p.HeadsetId}' is registered.");
            else if (rejection is null && known[p.HeadsetId!].Retired)
                rejection = new(DeadLetterReasons.RetiredHeadset, $"{p.HeadsetId} is retired; its agent should be switched off.");
            else if (rejection is null && p.IsStatus)
                rejection = ApplyStatus(sql, write, p.HeadsetId!, p.Message, now, known, seen);
            else if (rejection is null)
                rejection = await ApplyEventAsync(sql, write, p.Event!, now, counters, stored, ranges, seen, known, ct);
            if (rejection is not null) DeadLetter(p, rejection, now, counters);
            if (p.HeadsetId is { } headset && (p.Event is not null || rejection?.Seq is not null) && known.TryGetValue(headset, out var k) && !k.Retired)
            {
                if (!ranges.TryGetValue(headset, out var r)) ranges[headset] = r = new SeqRanges();
                if (rejection?.Seq is { } seq) r.Add(seq); // handled, with its reason: confirmed, so the agent stops re-sending it
                Confirmable[headset] = r;
            }
        }

        foreach (var id in seen) sql.Seen(id, now);
        // Only the headsets this transaction heard from: after a yield to a person that may be one of the batch's hundreds.
        foreach (var (id, r) in Confirmable)
            sql.Stats(id, r.ToString(), r.LastSeq, (stats.TryGetValue(id, out var s) ? s.Stored : 0) + stored.GetValueOrDefault(id));
        await sql.FlushAsync(ct);
        await write.CommitAsync(ct);
        return taken;
    }

    private void DeadLetter(ParsedMessage p, Rejection rejection, DateTimeOffset now, IngestCounters counters)
    {
        counters.DeadLettered++;
        Tally.DeadLettered.Add(rejection.Reason);
        var payload = p.Message.Payload;
        db.Add(new DeadLetter
        {
            At = now, Topic = Truncate(p.Message.Topic, 300), HeadsetId = p.HeadsetId is { } id ? Truncate(id, 40) : null,
            Reason = rejection.Reason, Detail = Truncate(rejection.Detail, 1000),
            Payload = payload[..Math.Min(payload.Length, EventEnvelope.MaxPayloadBytes)].ToArray(), PayloadBytes = payload.Length,
        });
    }

    private async Task<Rejection?> ApplyEventAsync(IIngestWriter sql, WriteScope write, ValidEvent e, DateTimeOffset now,
        IngestCounters counters, Dictionary<string, long> stored, Dictionary<string, SeqRanges> ranges, HashSet<string> seen,
        Dictionary<string, (bool Retired, bool Online)> known, CancellationToken ct)
    {
        if (!sql.InsertEvent(e, now, keepData: !EventTypes.IsTelemetry(e.Type)))
        {
            counters.Duplicates++;
            Tally.Duplicates++;
            return null;
        }
        counters.Stored++;
        Tally.StoredAt.Add(e.At);
        if (!ranges.TryGetValue(e.HeadsetId, out var r)) ranges[e.HeadsetId] = r = new SeqRanges();
        r.Add(e.Seq);
        stored[e.HeadsetId] = stored.GetValueOrDefault(e.HeadsetId) + 1;
        MarkOnline(write, e.HeadsetId, now, known, seen);
        return await applier.ApplyAsync(sql, write, e, now, ct);
    }

    private Rejection? ApplyStatus(IIngestWriter sql, WriteScope write, string headsetId, IncomingMessage message, DateTimeOffset now,
        Dictionary<string, (bool Retired, bool Online)> known, HashSet<string> seen)
    {
        bool online;
        try
        {
            using var doc = JsonDocument.Parse(message.Payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("online", out var o)
                || o.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return new(DeadLetterReasons.MissingField, "A status message needs 'online': true or false.");
            online = o.GetBoolean();
        }
        catch (JsonException e)
        {
            return new(DeadLetterReasons.NotJson, $"The payload is not JSON: {e.Message}");
        }

        if (online)
        {
            MarkOnline(write, headsetId, now, known, seen);
        }
        else if (known[headsetId].Online || seen.Contains(headsetId))
        {
            // The Last Will, or the agent saying goodbye: offline from now on, until it is heard from again.
            seen.Remove(headsetId);
            sql.Offline(headsetId);
            known[headsetId] = (false, false);
            audit.Record(Actor.Device(headsetId), "headset.offline", "headset", headsetId, "The agent reported itself offline (or its Last Will was delivered).");
            write.MarkChanged(headsetId);
        }
        return null;
    }

    private void MarkOnline(WriteScope write, string headsetId, DateTimeOffset now, Dictionary<string, (bool Retired, bool Online)> known, HashSet<string> seen)
    {
        seen.Add(headsetId);
        if (known[headsetId].Online) return;
        known[headsetId] = (false, true);
        audit.Record(Actor.Device(headsetId), "headset.online", "headset", headsetId, "The agent was heard from.", new { at = now });
        write.MarkChanged(headsetId);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>One batch's outcome: the stored events' own times (for the ingest lag), duplicates, dead-letter reasons.</summary>
public sealed class IngestTally
{
    public List<DateTimeOffset> StoredAt { get; } = [];
    public long Duplicates { get; set; }
    public List<string> DeadLettered { get; } = [];
}
