namespace Fleet.Testing.Time;

/// <summary>
/// A clock the test moves by hand (FakeTimeProvider is not available here). Timers fire when the clock passes
/// their due time, so code waiting on <see cref="TimeProvider"/> delays moves with it.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public static DateTimeOffset DefaultStart { get; } = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider() : this(DefaultStart) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        SetUtcNow(GetUtcNow() + by);
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            if (value < _now) throw new ArgumentOutOfRangeException(nameof(value), "Time does not go backwards.");
            _now = value;
            due = _timers.Where(t => t.DueAt <= value).ToList();
        }
        foreach (var t in due) t.Fire(value);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;
        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                _period = period;
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) { DueAt = DateTimeOffset.MaxValue; return true; }
                DueAt = owner._now + dueTime;
                owner._timers.Add(this);
            }
            if (dueTime == TimeSpan.Zero) Fire(owner.GetUtcNow());
            return true;
        }

        public void Fire(DateTimeOffset now)
        {
            lock (owner._lock)
            {
                if (DueAt > now) return;
                owner._timers.Remove(this);
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
                {
                    DueAt = now + _period;
                    owner._timers.Add(this);
                }
                else DueAt = DateTimeOffset.MaxValue;
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (owner._lock) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
