using System.Threading.Channels;

namespace Fleet.Agent.Core.Probes;

/// <summary>A proximity probe the host drives: call <see cref="Report"/> when the sensor changes. One watcher.</summary>
public sealed class WornSwitch : IWornProbe
{
    private readonly Channel<bool> _changes = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

    public void Report(bool on) => _changes.Writer.TryWrite(on);

    public IAsyncEnumerable<bool> WatchAsync(CancellationToken cancellationToken) => _changes.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>A session probe the host drives (for example the therapy app's own start/stop hooks). One watcher.</summary>
public sealed class SessionReporter : ISessionProbe
{
    private readonly Channel<SessionActivity> _activities = Channel.CreateUnbounded<SessionActivity>(new UnboundedChannelOptions { SingleReader = true });

    public void Started(string? app) => _activities.Writer.TryWrite(new SessionActivity.Started(app));

    public void Ended(string? app, long wearSeconds, double? fpsAvg, double? droppedFramePercent, int? trackingLostCount) =>
        _activities.Writer.TryWrite(new SessionActivity.Ended(app, wearSeconds, fpsAvg, droppedFramePercent, trackingLostCount));

    public IAsyncEnumerable<SessionActivity> WatchAsync(CancellationToken cancellationToken) => _activities.Reader.ReadAllAsync(cancellationToken);
}
