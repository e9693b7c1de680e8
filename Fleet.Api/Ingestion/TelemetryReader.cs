using System.Text.Json;

namespace Fleet.Api.Ingestion;

public readonly record struct BatteryReadingData(int Percent, bool Charging, double? TemperatureC, int? HealthPercent, int? CycleCount);

public sealed record DeviceInfoReadingData(string? Model, string? Serial, string? Firmware, string? Os, long? StorageFreeMb, int? WifiRssi);

/// <summary>
/// The data of the three telemetry types (nearly all traffic), read and range-checked in one pass. Optional fields
/// may be absent or null but never of the wrong type; unknown fields are skipped.
/// </summary>
public static class TelemetryReader
{
    public static Rejection? Battery(ReadOnlySpan<byte> data, out BatteryReadingData battery)
    {
        battery = default;
        long? percent = null, health = null, cycles = null;
        bool? charging = null;
        double? temperature = null;
        var r = new Utf8JsonReader(data);
        r.Read();
        Rejection? problem = null;
        while (problem is null && r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("percent"u8)) problem = Long(ref r, "percent", 0, 100, out percent);
            else if (r.ValueTextEquals("charging"u8)) problem = Bool(ref r, "charging", out charging);
            else if (r.ValueTextEquals("temperatureC"u8)) problem = Double(ref r, "temperatureC", -40, 150, out temperature);
            else if (r.ValueTextEquals("healthPercent"u8)) problem = Long(ref r, "healthPercent", 0, 100, out health);
            else if (r.ValueTextEquals("cycleCount"u8)) problem = Long(ref r, "cycleCount", 0, 1_000_000, out cycles);
            else Skip(ref r);
        }
        problem ??= Required("percent", percent) ?? Required("charging", charging);
        if (problem is null) battery = new((int)percent!.Value, charging!.Value, temperature, (int?)health, (int?)cycles);
        return problem;
    }

    public static Rejection? Heartbeat(ReadOnlySpan<byte> data)
    {
        long? uptime = null;
        var version = false;
        var r = new Utf8JsonReader(data);
        r.Read();
        Rejection? problem = null;
        while (problem is null && r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("uptimeS"u8)) problem = Long(ref r, "uptimeS", 0, long.MaxValue, out uptime);
            else if (r.ValueTextEquals("agentVersion"u8))
            {
                problem = Text(ref r, "agentVersion", 40, out var v);
                if (problem is null && v == "") problem = Invalid("agentVersion", "must not be empty");
                version = v is not null;
            }
            else Skip(ref r);
        }
        return problem ?? Required("uptimeS", uptime) ?? (version ? null : new(DeadLetterReasons.MissingField, "'data.agentVersion' is missing."));
    }

    public static Rejection? DeviceInfo(ReadOnlySpan<byte> data, out DeviceInfoReadingData? info)
    {
        info = null;
        string? model = null, serial = null, firmware = null, os = null;
        long? storage = null, rssi = null;
        var r = new Utf8JsonReader(data);
        r.Read();
        Rejection? problem = null;
        while (problem is null && r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("model"u8)) problem = Text(ref r, "model", 100, out model);
            else if (r.ValueTextEquals("serial"u8)) problem = Text(ref r, "serial", 100, out serial);
            else if (r.ValueTextEquals("firmware"u8)) problem = Text(ref r, "firmware", 100, out firmware);
            else if (r.ValueTextEquals("os"u8)) problem = Text(ref r, "os", 100, out os);
            else if (r.ValueTextEquals("storageFreeMb"u8)) problem = Long(ref r, "storageFreeMb", 0, 100_000_000, out storage);
            else if (r.ValueTextEquals("wifiRssi"u8)) problem = Long(ref r, "wifiRssi", -150, 0, out rssi);
            else Skip(ref r);
        }
        if (problem is null) info = new(model, serial, firmware, os, storage, (int?)rssi);
        return problem;
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    private static Rejection? Required<T>(string name, T? value) where T : struct =>
        value is null ? new(DeadLetterReasons.MissingField, $"'data.{name}' is missing.") : null;

    private static Rejection Invalid(string name, string problem) => new(DeadLetterReasons.InvalidField, $"'data.{name}' {problem}.");

    private static Rejection? Long(ref Utf8JsonReader r, string name, long min, long max, out long? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out var n)) return Invalid(name, "must be an integer");
        if (n < min || n > max) return Invalid(name, $"is {n}; it must be between {min} and {max}");
        value = n;
        return null;
    }

    private static Rejection? Double(ref Utf8JsonReader r, string name, double min, double max, out double? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.Number || !r.TryGetDouble(out var n) || !double.IsFinite(n)) return Invalid(name, "must be a number");
        if (n < min || n > max) return Invalid(name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"is {n}; it must be between {min} and {max}"));
        value = n;
        return null;
    }

    private static Rejection? Bool(ref Utf8JsonReader r, string name, out bool? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return Invalid(name, "must be true or false");
        value = r.GetBoolean();
        return null;
    }

    private static Rejection? Text(ref Utf8JsonReader r, string name, int max, out string? value)
    {
        value = null;
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.String) return Invalid(name, "must be a string");
        value = r.GetString();
        if (value!.Length > max) return Invalid(name, $"is longer than {max} characters");
        return Fleet.Domain.Input.TextRules.Problem(value, freeText: false) is { } problem ? Invalid(name, problem.TrimEnd('.')) : null;
    }
}
