using Fleet.Contracts.Mqtt;

namespace Fleet.Agent.Core.Probes;

/// <summary>Reads the battery. Null means "no reading now" (probe unavailable): the agent then sends nothing rather than a guess.</summary>
public interface IBatteryProbe
{
    ValueTask<BatteryData?> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>Reads model, serial, firmware, OS, free storage and Wi-Fi signal; null when unavailable.</summary>
public interface IDeviceInfoProbe
{
    ValueTask<DeviceInfoData?> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>The proximity sensor: yields true when the headset is put on, false when taken off.</summary>
public interface IWornProbe
{
    IAsyncEnumerable<bool> WatchAsync(CancellationToken cancellationToken);
}

/// <summary>Therapy app sessions on the headset, with their frame-rate statistics when they end.</summary>
public interface ISessionProbe
{
    IAsyncEnumerable<SessionActivity> WatchAsync(CancellationToken cancellationToken);
}

/// <summary>Makes the headset noticeable on a shelf (the <c>identify</c> command): a sound, a light, a message.</summary>
public interface IHeadsetIndicator
{
    /// <summary>Returns what was done, for the command result ("beeped", "logged only", ...).</summary>
    ValueTask<string> IdentifyAsync(CancellationToken cancellationToken);
}

/// <summary>Something a session probe saw. The agent adds the Fleet session id from the state Fleet last sent.</summary>
public abstract record SessionActivity(string? App)
{
    public sealed record Started(string? App) : SessionActivity(App);

    public sealed record Ended(string? App, long WearSeconds, double? FpsAvg, double? DroppedFramePercent, int? TrackingLostCount) : SessionActivity(App);
}

/// <summary>The probes one agent reads. Battery and device info are polled; worn and sessions are watched when present.</summary>
public sealed record AgentProbes(IBatteryProbe Battery, IDeviceInfoProbe DeviceInfo)
{
    public IWornProbe? Worn { get; init; }
    public ISessionProbe? Sessions { get; init; }
    public IHeadsetIndicator? Indicator { get; init; }
}
