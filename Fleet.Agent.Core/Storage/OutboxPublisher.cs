using System.Collections.Concurrent;
using Fleet.Mqtt;
using Fleet.Mqtt.Client;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Core.Storage;

/// <summary>
/// Publishes the outbox in seq order, QoS 1, with up to <c>window</c> events awaiting PUBACK, and deletes each event only
/// after its PUBACK. Across reconnects the MQTT client re-sends what is unacknowledged (persistent session); after an
/// agent restart the outbox simply still holds it. A publish that fails is retried from the outbox: duplicates are
/// possible (at least once), and the API stores each event id once.
/// </summary>
internal sealed class OutboxPublisher(Outbox outbox, ResilientMqttClient mqtt, string topic, int window, ILogger log)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);

    private readonly Signal _wake = new();
    private readonly ConcurrentQueue<(long Seq, bool Ok)> _done = new();

    /// <summary>New events were appended, or something completed.</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken stopping)
    {
        var inFlight = new HashSet<long>();
        var acknowledged = new List<long>();
        long cursor = 0;
        while (!stopping.IsCancellationRequested)
        {
            var failed = false;
            acknowledged.Clear();
            while (_done.TryDequeue(out var done))
            {
                inFlight.Remove(done.Seq);
                if (done.Ok) acknowledged.Add(done.Seq);
                else
                {
                    failed = true;
                    cursor = Math.Min(cursor, done.Seq - 1); // read it again from the outbox
                }
            }
            try
            {
                outbox.Acknowledge(acknowledged);
                if (failed)
                {
                    await Task.Delay(RetryPause, stopping).ConfigureAwait(false);
                    continue;
                }
                var free = window - inFlight.Count;
                var dispatched = 0;
                if (free > 0)
                {
                    foreach (var entry in outbox.ReadAfter(cursor, free + inFlight.Count))
                    {
                        cursor = entry.Seq;
                        if (!inFlight.Add(entry.Seq)) continue;
                        Publish(entry, stopping);
                        if (++dispatched == free) break;
                    }
                }
                if (dispatched == 0 && _done.IsEmpty) await _wake.WaitAsync(IdleCheck, stopping).ConfigureAwait(false);
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
