using Fleet.Domain.Hygiene;

namespace Fleet.Api.Ingestion;

/// <summary>
/// Each headset's latest readings as a batch leaves them, decided by the rules in <see cref="Telemetry"/> (newer
/// reading wins, cycle count never goes down) on the headset rows read at the start of the batch, inside the write
/// transaction and under the write lock. The writers only store the outcome, once per headset and batch.
/// </summary>
public sealed class LatestReadings
{
    private IReadOnlyDictionary<string, Headset> _headsets = new Dictionary<string, Headset>();
    private readonly HashSet<string> _battery = [], _device = [];

    /// <summary>The batch's headsets, read without tracking: their copies of the readings are changed here only.</summary>
    public void Start(IReadOnlyDictionary<string, Headset> headsets)
    {
        _headsets = headsets;
        _battery.Clear();
        _device.Clear();
    }

    public void Battery(string headsetId, DateTimeOffset at, int percent, bool charging, double? temperature, int? health, int? cycles)
    {
        var h = Headset(headsetId);
        if (h.Telemetry.ApplyBattery(at, percent, charging, temperature, health, cycles, h.Counters)) _battery.Add(headsetId);
    }

    public void Device(string headsetId, DateTimeOffset at, string? model, string? firmware, string? os, long? storageFreeMb, int? wifiRssi)
    {
        if (Headset(headsetId).Telemetry.ApplyDeviceInfo(at, model, firmware, os, storageFreeMb, wifiRssi)) _device.Add(headsetId);
    }

    /// <summary>The headsets whose battery reading changed, with what to store, then forgotten.</summary>
    public IEnumerable<(string Id, Fleet.Domain.Hygiene.Telemetry Telemetry, int CountedCycles)> TakeBattery()
    {
        foreach (var id in _battery) yield return (id, _headsets[id].Telemetry, _headsets[id].Counters.BatteryCycles);
        _battery.Clear();
    }

    public IEnumerable<(string Id, Fleet.Domain.Hygiene.Telemetry Telemetry)> TakeDevice()
    {
        foreach (var id in _device) yield return (id, _headsets[id].Telemetry);
        _device.Clear();
    }

    private Headset Headset(string id) => _headsets.TryGetValue(id, out var h) ? h
        : throw new InvalidOperationException($"{id} was not read at the start of the batch.");
}
