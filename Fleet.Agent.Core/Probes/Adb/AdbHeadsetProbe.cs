using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Core.Probes.Adb;

/// <summary>
/// Battery and device info of a headset docked on a charging cart, read over USB with adb:
/// <c>adb devices -l</c>, then <c>adb -s SERIAL shell dumpsys battery</c> (and <c>getprop</c>, <c>df -k /data</c>).
/// A missing adb, a headset that is unplugged, offline or not authorised gives no reading and ONE log line saying so
/// (and one when it is back), never an exception and never a line per poll.
/// </summary>
public sealed class AdbHeadsetProbe(string serial, ILogger log, IProcessRunner? runner = null, string adbPath = "adb", TimeSpan? timeout = null)
    : IBatteryProbe, IDeviceInfoProbe
{
    private readonly IProcessRunner _runner = runner ?? new ProcessRunner();
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private string? _problem;
    private string? _healthWarning;

    public string Serial => serial;

    /// <summary>The current problem ("adb is not installed ...", "... is not connected"), or null when readings work.</summary>
    public string? Problem
    {
        get
        {
            lock (_lock) return _problem;
        }
    }

    public async ValueTask<BatteryData?> ReadAsync(CancellationToken cancellationToken)
    {
        var output = await ShellAsync(["dumpsys", "battery"], cancellationToken).ConfigureAwait(false);
        if (output is null) return null;
        if (AdbOutput.ParseBattery(output) is not { } battery || battery.ToContract() is not { } data)
        {
            Trouble($"the battery dump of {serial} was not in the expected format (first line: \"{FirstLine(output)}\")");
            return null;
        }
        Fine();
        WarnAboutHealth(battery);
        return data;
    }

    async ValueTask<DeviceInfoData?> IDeviceInfoProbe.ReadAsync(CancellationToken cancellationToken)
    {
        var props = await ShellAsync(["getprop"], cancellationToken).ConfigureAwait(false);
        if (props is null) return null;
        var p = AdbOutput.ParseGetprop(props);
        if (p.Count == 0)
        {
            Trouble($"getprop on {serial} returned nothing usable");
            return null;
        }
        var df = await ShellAsync(["df", "-k", "/data"], cancellationToken).ConfigureAwait(false);
        var release = p.GetValueOrDefault("ro.build.version.release");
        return new DeviceInfoData(
            p.GetValueOrDefault("ro.product.model"),
            p.GetValueOrDefault("ro.serialno") ?? serial,
            p.GetValueOrDefault("ro.build.display.id"),
            release is null ? null : "Android " + release,
            df is null ? null : AdbOutput.ParseDfAvailableMb(df),
            null); // Wi-Fi RSSI would need parsing 'dumpsys wifi', which differs between vendors; not reported.
    }

    /// <summary>Runs <c>adb -s SERIAL shell ARGS</c> if the device is attached and authorised; null (and one log line) otherwise.</summary>
    private async Task<string?> ShellAsync(string[] command, CancellationToken cancellationToken)
    {
        try
        {
            var devices = await _runner.RunAsync(adbPath, ["devices", "-l"], _timeout, cancellationToken).ConfigureAwait(false);
            var device = AdbOutput.ParseDevices(devices.StandardOutput).FirstOrDefault(d => d.Serial == serial);
            if (device is null) return Trouble($"headset {serial} is not connected to adb (unplugged from the cart, or its USB cable or port failed)");
            if (device.State == "unauthorized") return Trouble($"headset {serial} has not authorised this computer: accept the USB debugging prompt in the headset");
            if (device.State != "device") return Trouble($"headset {serial} is {device.State} in adb");
            var result = await _runner.RunAsync(adbPath, ["-s", serial, "shell", .. command], _timeout, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
                return Trouble($"adb -s {serial} shell {string.Join(' ', command)} failed (exit {result.ExitCode}): {FirstLine(result.StandardError + result.StandardOutput)}");
            return result.StandardOutput;
        }
        catch (ToolMissingException e)
        {
            return Trouble($"adb cannot be run ({e.InnerException?.Message}); install the Android platform tools or set Agent:Adb:Path");
        }
        catch (TimeoutException e)
        {
            return Trouble(e.Message);
        }
    }

    private string? Trouble(string problem)
    {
        lock (_lock)
        {
            if (_problem == problem) return null;
            _problem = problem;
        }
        log.LogWarning("adb: {Problem}; no battery or device readings until this is fixed", problem);
        return null;
    }

    private void Fine()
    {
        string? was;
        lock (_lock)
        {
            was = _problem;
            _problem = null;
        }
        if (was is not null) log.LogInformation("adb: headset {Serial} is readable again", serial);
    }

    private void WarnAboutHealth(DumpsysBattery battery)
    {
        var warning = battery.HealthIsBad ? $"headset {serial} reports battery health '{battery.HealthName}'"
            : battery.UpdatesStopped ? $"headset {serial} reports frozen battery values (someone ran 'dumpsys battery set'; 'dumpsys battery reset' undoes it)"
            : null;
        lock (_lock)
        {
            if (warning == _healthWarning) return;
            _healthWarning = warning;
        }
        if (warning is not null) log.LogWarning("adb: {Warning}", warning);
    }

    private static string FirstLine(string text) => text.Trim().Split('\n').FirstOrDefault()?.Trim() ?? "";
}
