using System.Collections.Concurrent;
using System.Diagnostics;
using Fleet.Contracts.Mqtt;
using Fleet.Messaging;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Fleet.Agent.Core.Storage;

/// <summary>
/// Publishes the outbox in seq order, QoS 1, with up to <c>window</c> events awaiting PUBACK, and deletes an event only
/// when the API confirms it has committed it (<see cref="ConfirmedMessage"/>): a broker's PUBACK is not enough, since a
/// broker that crashes loses what it acknowledged but had not yet persisted or delivered. An event the broker
/// acknowledged but the API has not confirmed is published again after <c>republishAfter</c>, then after twice that,
/// and so on (up to 16 times), so an API that is down for hours does not get the same backlog every half minute; the
/// first confirmation that arrives again brings the interval back to normal.
/// Duplicates are harmless: the API stores each event id once. After an agent restart the outbox simply still holds
/// everything unconfirmed, and it is all published again.
/// </summary>
internal sealed class OutboxPublisher(Outbox outbox, ResilientMqttConnection mqtt, string topic, int window, TimeSpan republishAfter, ILogger log)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);
    private const int MaxBackoffShift = 4;

    private readonly Signal _wake = new();
    private readonly ConcurrentQueue<(long Seq, bool Ok)> _done = new();
    private readonly ConcurrentQueue<ConfirmedMessage> _confirmations = new();

    // Owned by the loop: published and acknowledged by the broker, waiting for the API's confirmation (seq -> when to publish again).
    private readonly SortedDictionary<long, long> _unconfirmed = [];
    private readonly Dictionary<long, int> _attempts = [];

    /// <summary>New events were appended, or something completed.</summary>
    public void Wake() => _wake.Set();

    /// <summary>The API's confirmation arrived (on the MQTT thread); the loop applies it.</summary>
    public void Confirmed(ConfirmedMessage confirmation)
    {
        _confirmations.Enqueue(confirmation);
        _wake.Set();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var inFlight = new HashSet<long>();
        long cursor = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var failed = false;
                while (_done.TryDequeue(out var done))
                {
                    inFlight.Remove(done.Seq);
                    if (done.Ok) _unconfirmed[done.Seq] = Stopwatch.GetTimestamp() + Backoff(done.Seq);
                    else
                    {
                        failed = true;
                        cursor = Math.Min(cursor, done.Seq - 1); // read it again from the outbox
                    }
                }
                ApplyConfirmations();
                if (failed)
                {
                    await Task.Delay(RetryPause, stopping).ConfigureAwait(false);
                    continue;
                }
                if (mqtt.IsConnected) cursor = Math.Min(cursor, TakeOverdue());
                var dispatched = PublishFrom(ref cursor, inFlight, stopping);
                if (dispatched == 0 && _done.IsEmpty && _confirmations.IsEmpty) await _wake.WaitAsync(IdleCheck, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The outbox file itself failed (disk full, I/O error): say so and keep trying; nothing is lost by waiting.
                log.LogError(e, "{Headset}: the outbox could not be read or updated; retrying", outbox.HeadsetId);
                await Task.Delay(RetryPause, stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Publishes what comes after the cursor and is neither in flight nor waiting for its confirmation.</summary>
    private int PublishFrom(ref long cursor, HashSet<long> inFlight, CancellationToken stopping)
    {
        var free = window - inFlight.Count;
        var dispatched = 0;
        while (dispatched < free)
        {
            var page = outbox.ReadAfter(cursor, Math.Max(free, 100));
            if (page.Count == 0) break;
            foreach (var entry in page)
            {
                cursor = entry.Seq;
                if (_unconfirmed.ContainsKey(entry.Seq) || !inFlight.Add(entry.Seq)) continue;
                Publish(entry, stopping);
                if (++dispatched == free) break;
            }
        }
        return dispatched;
    }

    /// <summary>Deletes what the confirmations cover; only events published since this agent started, so a confirmation can never remove an event that was not sent.</summary>
    private void ApplyConfirmations()
    {
        List<long>? covered = null;
        var any = false;
        while (_confirmations.TryDequeue(out var confirmation))
        {
            any = true;
            foreach (var seq in _unconfirmed.Keys)
                if (confirmation.Covers(seq)) (covered ??= []).Add(seq);
        }
        if (!any) return;
        if (covered is not null)
        {
            outbox.DeleteConfirmed(covered);
            foreach (var seq in covered)
            {
                _unconfirmed.Remove(seq);
                _attempts.Remove(seq);
            }
        }
        // Fleet is answering again: what it has not confirmed is due one normal interval from now, not after a long backoff.
        if (_attempts.Count == 0) return;
        var soon = Stopwatch.GetTimestamp() + Backoff(0);
        foreach (var seq in _attempts.Keys)
            if (_unconfirmed.TryGetValue(seq, out var due) && due > soon) _unconfirmed[seq] = soon;
        _attempts.Clear();
    }

    /// <summary>Events whose confirmation is overdue go back to be published again; returns the cursor to restart from.</summary>
    private long TakeOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        List<long>? overdue = null;
        foreach (var (seq, due) in _unconfirmed)
            if (due <= now) (overdue ??= []).Add(seq);
        if (overdue is null) return long.MaxValue;
        foreach (var seq in overdue)
        {
            _unconfirmed.Remove(seq);
            _attempts[seq] = _attempts.GetValueOrDefault(seq) + 1;
        }
        log.LogInformation("{Headset}: {Count} events were not confirmed by Fleet in time; publishing them again (from seq {Seq})",
            outbox.HeadsetId, overdue.Count, overdue[0]);
        return overdue[0] - 1;
    }

    private long Backoff(long seq) =>
        (long)(republishAfter.TotalSeconds * Stopwatch.Frequency) << Math.Min(seq == 0 ? 0 : _attempts.GetValueOrDefault(seq), MaxBackoffShift);

    private void Publish(OutboxEntry entry, CancellationToken stopping)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(entry.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        mqtt.PublishAsync(message, stopping).ContinueWith((t, state) =>
        {
            var seq = (long)state!;
            if (t.IsFaulted && !stopping.IsCancellationRequested)
                log.LogDebug(t.Exception!.GetBaseException(), "{Headset}: publishing seq {Seq} failed; it stays in the outbox", outbox.HeadsetId, seq);
            _done.Enqueue((seq, t.IsCompletedSuccessfully));
            _wake.Set();
        }, entry.Seq, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
