namespace Fleet.Api.Ingestion;

/// <summary>
/// How many messages the next ingestion batch may take, so that it holds the write lock for about
/// <paramref name="hold"/>. A person's write (an assignment, a cleaning) waits for the batch that is running, so a
/// batch bounded by count alone made the gate's latency grow with the CPU time per message (measured under
/// 15,000 events/s on two cores: 1,000-message batches held the lock for tens of milliseconds). The time per message
/// is learned from full batches only: a small batch is mostly its fixed cost (the sync), which would shrink the budget
/// when nothing is queued. <paramref name="hold"/> of zero turns the budget off (<paramref name="max"/> always).
/// </summary>
public sealed class BatchBudget(int max, TimeSpan hold)
{
    /// <summary>Never fewer than this per batch under load: below it the fixed cost of each commit dominates.</summary>
    public const int MinMessages = 50;

    private double _msPerMessage;

    /// <summary>The most messages the next batch may take.</summary>
    public int Messages =>
        hold <= TimeSpan.Zero || _msPerMessage <= 0
            ? max
            : Math.Clamp((int)(hold.TotalMilliseconds / _msPerMessage), Math.Min(MinMessages, max), max);

    /// <summary>Learns from a committed batch of <paramref name="messages"/> that took <paramref name="took"/>.</summary>
    public void Took(int messages, TimeSpan took)
    {
        if (messages <= 0 || messages < Messages) return;
        var perMessage = took.TotalMilliseconds / messages;
        _msPerMessage = _msPerMessage <= 0 ? perMessage : 0.7 * _msPerMessage + 0.3 * perMessage;
    }
}
