using System.Globalization;
using Fleet.Contracts.Api;

namespace Fleet.Api.Telemetry;

/// <summary>
/// Downsampling of a telemetry series into fixed buckets aligned to midnight UTC, so a month of one-minute readings
/// reads as a few hundred points. A bucket holds what an hourly aggregate holds: averages weighted by the number of
/// readings, the lowest battery and health, the highest temperature and cycle count.
/// </summary>
public static class TelemetryBuckets
{
    /// <summary>The sizes a caller may name, and that the automatic choice picks from.</summary>
    public static readonly IReadOnlyList<(string Name, TimeSpan Size)> Sizes =
    [
        ("1m", TimeSpan.FromMinutes(1)), ("5m", TimeSpan.FromMinutes(5)), ("15m", TimeSpan.FromMinutes(15)),
        ("1h", TimeSpan.FromHours(1)), ("6h", TimeSpan.FromHours(6)), ("1d", TimeSpan.FromDays(1)),
    ];

    /// <summary>Periods up to this long come as raw readings unless a bucket is asked for.</summary>
    public static readonly TimeSpan RawUpTo = TimeSpan.FromDays(2);

    public static string Names => string.Join(", ", Sizes.Select(s => s.Name));

    /// <summary>
    /// The bucket for a request: null for raw readings. Without a choice, a period longer than <see cref="RawUpTo"/>
    /// gets the smallest size whose bucket count fits one page.
    /// </summary>
    public static bool TryChoose(string? asked, TimeSpan period, int pageSize, out (string Name, TimeSpan Size)? bucket)
    {
        bucket = null;
        if (asked == "raw") return true;
        if (asked is not null)
        {
            var match = Sizes.FirstOrDefault(s => s.Name == asked);
            if (match.Name is null) return false;
            bucket = match;
            return true;
        }
        if (period <= RawUpTo) return true;
        bucket = Sizes.FirstOrDefault(s => period / s.Size <= pageSize, Sizes[^1]);
        return true;
    }

    public static DateTimeOffset StartOf(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - at.UtcTicks % size.Ticks, TimeSpan.Zero);

    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The running totals of one bucket.</summary>
public sealed class TelemetryBucket(DateTimeOffset start, string kind)
{
    private int _samples;
    private readonly Mean _battery = new(), _temperature = new(), _wifi = new();
    private int? _batteryMin, _healthMin, _cycleMax;
    private double? _temperatureMax;
    private long? _storageMin;

    public void Add(TelemetrySample r)
    {
        _samples++;
        _battery.Add(r.BatteryPercent, 1);
        _temperature.Add(r.TemperatureC, 1);
        _wifi.Add(r.WifiRssi, 1);
        Fold(r.BatteryPercent, r.TemperatureC, r.HealthPercent, r.CycleCount, r.StorageFreeMb);
    }

    public void Add(TelemetryHourly h)
    {
        _samples += h.Samples;
        _battery.Add(h.BatteryPercentAvg, h.Samples);
        _temperature.Add(h.TemperatureAvgC, h.Samples);
        _wifi.Add(h.WifiRssiAvg, h.Samples);
        Fold(h.BatteryPercentMin, h.TemperatureMaxC, h.HealthPercentMin, h.CycleCountMax, h.StorageFreeMinMb);
    }

    private void Fold(int? batteryMin, double? temperatureMax, int? healthMin, int? cycleMax, long? storageMin)
    {
        _batteryMin = Min(_batteryMin, batteryMin);
        _healthMin = Min(_healthMin, healthMin);
        _storageMin = Min(_storageMin, storageMin);
        _cycleMax = Max(_cycleMax, cycleMax);
        _temperatureMax = Max(_temperatureMax, temperatureMax);
    }

    private static T? Min<T>(T? a, T? b) where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) <= 0 ? a : b;
    private static T? Max<T>(T? a, T? b) where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) >= 0 ? a : b;

    public TelemetryPoint ToPoint() => new()
    {
        At = start, Kind = kind, Aggregated = true, Samples = _samples,
        BatteryPercent = _battery.Value, BatteryPercentMin = _batteryMin,
        TemperatureC = _temperature.Value, TemperatureMaxC = _temperatureMax,
        HealthPercent = _healthMin, CycleCount = _cycleMax, StorageFreeMb = _storageMin,
        WifiRssi = _wifi.Value is { } w ? (int)Math.Round(w) : null,
    };

    private sealed class Mean
    {
        private double _sum;
        private long _weight;

        public void Add(double? value, int weight)
        {
            if (value is null || weight <= 0) return;
            _sum += value.Value * weight;
            _weight += weight;
        }

        public double? Value => _weight == 0 ? null : Math.Round(_sum / _weight, 2);
    }
}
