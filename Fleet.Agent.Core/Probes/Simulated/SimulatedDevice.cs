using Fleet.Contracts.Mqtt;

namespace Fleet.Agent.Core.Probes.Simulated;

/// <summary>Ratings of a simulated model (the figures the development seed uses for the same models).</summary>
public sealed record SimulatedModel(string Id, string Name, string Os, string Firmware, int RuntimeMinutes, double FpsTarget)
{
    public static readonly IReadOnlyList<SimulatedModel> Known =
    [
        new("quest-3", "Quest 3", "Android 12 (Horizon OS v72)", "72.0.0.192.354", 132, 90),
        new("pico-4e", "4 Enterprise", "Android 12 (PICO OS 5.11)", "5.11.0", 150, 72),
        new("vive-focus-3", "Vive Focus 3", "Android 10 (VIVE OS 6.0)", "6.0.999.643", 120, 90),
    ];

    public static SimulatedModel For(string? modelId) => Known.FirstOrDefault(m => m.Id == modelId) ?? Known[0];
}

/// <summary>
/// A virtual headset's hardware: a battery that drains in use (the model's runtime), charges on the dock and idles
/// slowly off it, with temperature, capacity-based health and a cycle count; plus device info, proximity and sessions.
/// Simulated time runs <c>speed</c> times faster than the clock; the battery is brought up to date at each change and read.
/// </summary>
public sealed class SimulatedDevice : IBatteryProbe, IDeviceInfoProbe
{
    private const double ChargePercentPerMinute = 1.25;   // ~80 min from empty on the dock
    private const double StandbyPercentPerMinute = 0.02;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _speed;
    private readonly Random _random;
    private readonly string _serial;
    private readonly double _designHealth;
    private double _percent;
    private double _cycles;
    private bool _docked = true;
    private bool _inUse;
    private DateTimeOffset _last;

    public SimulatedDevice(SimulatedModel model, string serial, double speed, TimeProvider time, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        Model = model;
        _serial = serial;
        _speed = speed;
        _time = time;
        _random = random;
        _percent = 55 + random.NextDouble() * 45;
        _cycles = random.Next(20, 300);
        _designHealth = 92 + random.NextDouble() * 7;
        _last = time.GetUtcNow();
    }

    public SimulatedModel Model { get; }

    public WornSwitch Worn { get; } = new();

    public SessionReporter Sessions { get; } = new();

    public AgentProbes Probes => new(this, this) { Worn = Worn, Sessions = Sessions };

    public double BatteryPercent
    {
        get
        {
            lock (_lock)
            {
                Advance();
                return _percent;
            }
        }
    }

    /// <summary>On (true) or off the charging dock.</summary>
    public void SetDocked(bool docked)
    {
        lock (_lock)
        {
            Advance();
            _docked = docked;
        }
    }

    /// <summary>Running a therapy session (drains the battery at the model's rate).</summary>
    public void SetInUse(bool inUse)
    {
        lock (_lock)
        {
            Advance();
            _inUse = inUse;
        }
    }

    public ValueTask<BatteryData?> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Advance();
            var charging = _docked && !_inUse && _percent < 100;
            var temperature = 26.5 + (_inUse ? 7 : 0) + (charging ? 3 : 0) + _random.NextDouble() * 1.5;
            var health = (int)Math.Round(_designHealth - _cycles * 0.01);
            return ValueTask.FromResult<BatteryData?>(new BatteryData((int)Math.Round(_percent), charging, Math.Round(temperature, 1),
                Math.Clamp(health, 50, 100), (int)_cycles));
        }
    }

    ValueTask<DeviceInfoData?> IDeviceInfoProbe.ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<DeviceInfoData?>(new DeviceInfoData(Model.Name, _serial, Model.Firmware, Model.Os,
            40_000 + _random.Next(0, 15_000), -45 - _random.Next(0, 25)));

    private void Advance()
    {
        var now = _time.GetUtcNow();
        var minutes = (now - _last).TotalMinutes * _speed;
        _last = now;
        if (minutes <= 0) return;
        double delta;
        if (_inUse) delta = -minutes * 100.0 / Model.RuntimeMinutes;
        else if (_docked) delta = minutes * (_percent < 80 ? ChargePercentPerMinute : ChargePercentPerMinute / 2);
        else delta = -minutes * StandbyPercentPerMinute;
        var before = _percent;
        _percent = Math.Clamp(_percent + delta, 0, 100);
        if (_percent > before) _cycles += (_percent - before) / 100;
    }
}
