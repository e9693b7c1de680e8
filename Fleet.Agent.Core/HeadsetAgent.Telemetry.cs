using Fleet.Agent.Core.Probes;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Core;

public sealed partial class HeadsetAgent
{
    private Guid? _activeSessionId;
    private Guid? _lastSessionId;

    /// <summary>
    /// Device info and battery at start, then heartbeat, battery and device info each at its interval. The first heartbeat
    /// and battery ticks fall at a random point of their interval, so a fleet started at once does not report in step.
    /// </summary>
    private async Task TelemetryLoopAsync(CancellationToken stopping)
    {
        try
        {
            await SendDeviceReportAsync(stopping).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var nextHeartbeat = now + _options.HeartbeatInterval * Random.Shared.NextDouble();
            var nextBattery = now + _options.BatteryInterval * Random.Shared.NextDouble();
            var nextInfo = now + _options.DeviceInfoInterval;
            while (true)
            {
                var due = new[] { nextHeartbeat, nextBattery, nextInfo }.Min();
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
                now = _time.GetUtcNow();
                if (now >= nextHeartbeat)
                {
                    Record(EventTypes.Heartbeat, new HeartbeatData((long)(now - _startedAt).TotalSeconds, _options.AgentVersion));
                    nextHeartbeat = Next(nextHeartbeat, _options.HeartbeatInterval, now);
                }
                if (now >= nextBattery)
                {
                    await SendBatteryAsync(stopping).ConfigureAwait(false);
                    nextBattery = Next(nextBattery, _options.BatteryInterval, now);
                }
                if (now >= nextInfo)
                {
                    await SendDeviceInfoAsync(stopping).ConfigureAwait(false);
                    nextInfo = Next(nextInfo, _options.DeviceInfoInterval, now);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The next tick after <paramref name="now"/>, without a burst of catch-up ticks after a stall.</summary>
    private static DateTimeOffset Next(DateTimeOffset previous, TimeSpan interval, DateTimeOffset now)
    {
        var next = previous + interval;
        return next > now ? next : now + interval;
    }

    /// <summary>device.info and battery now (at start and for the <c>sync</c> command); says what was sent.</summary>
    private async Task<string> SendDeviceReportAsync(CancellationToken cancellationToken)
    {
        var info = await SendDeviceInfoAsync(cancellationToken).ConfigureAwait(false);
        var battery = await SendBatteryAsync(cancellationToken).ConfigureAwait(false);
        return (info, battery) switch
        {
            (true, true) => "device.info and battery",
            (true, false) => "device.info (no battery reading available)",
            (false, true) => "battery (no device info available)",
            _ => "nothing: no probe reading available",
        };
    }

    private async Task<bool> SendBatteryAsync(CancellationToken cancellationToken)
    {
        if (await ReadProbeAsync("battery", () => _probes.Battery.ReadAsync(cancellationToken)).ConfigureAwait(false) is not { } battery) return false;
        Record(EventTypes.Battery, battery);
        return true;
    }

    private async Task<bool> SendDeviceInfoAsync(CancellationToken cancellationToken)
    {
        if (await ReadProbeAsync("device info", () => _probes.DeviceInfo.ReadAsync(cancellationToken)).ConfigureAwait(false) is not { } info) return false;
        Record(EventTypes.DeviceInfo, info);
        return true;
    }

    /// <summary>A probe that throws is a bug or a broken device, not a reason to stop the agent: log and carry on without a reading.</summary>
    private async Task<T?> ReadProbeAsync<T>(string what, Func<ValueTask<T?>> read) where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "{Headset}: the {Probe} probe failed", HeadsetId, what);
            return null;
        }
    }

    private async Task WatchWornAsync(IWornProbe probe, CancellationToken stopping)
    {
        try
        {
            await foreach (var on in probe.WatchAsync(stopping).ConfigureAwait(false))
                Record(EventTypes.Worn, new WornData(on));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            _log.LogError(e, "{Headset}: the proximity probe stopped; worn events are no longer reported", HeadsetId);
        }
    }

    private async Task WatchSessionsAsync(ISessionProbe probe, CancellationToken stopping)
    {
        try
        {
            await foreach (var activity in probe.WatchAsync(stopping).ConfigureAwait(false))
                RecordSessionActivity(activity);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            _log.LogError(e, "{Headset}: the session probe stopped; sessions are no longer reported", HeadsetId);
        }
    }

    /// <summary>Tags the activity with the Fleet session the headset is handed out for (from the retained state).</summary>
    private void RecordSessionActivity(SessionActivity activity)
    {
        switch (activity)
        {
            case SessionActivity.Started started:
                Guid? startedId;
                lock (_sync) startedId = _activeSessionId = _lastSessionId = _shown.SessionId;
                Record(EventTypes.SessionStarted, new SessionStartedData(startedId, started.App));
                break;
            case SessionActivity.Ended ended:
                Guid? endedId;
                lock (_sync)
                {
                    endedId = _activeSessionId ?? _shown.SessionId;
                    _activeSessionId = null;
                }
                Record(EventTypes.SessionEnded, new SessionEndedData(endedId, ended.App, ended.WearSeconds, ended.FpsAvg,
                    ended.DroppedFramePercent, ended.TrackingLostCount));
                break;
        }
    }
}
