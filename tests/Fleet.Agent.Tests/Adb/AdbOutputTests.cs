using Fleet.Agent.Core.Probes.Adb;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Agent.Tests.Adb;

/// <summary>The parsers on recorded outputs (Adb/Recorded, see its README for where the format comes from).</summary>
public sealed class AdbOutputTests
{
    internal static string Recorded(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Adb", "Recorded", name));

    [Fact]
    public void AHeadsetChargingOnTheCartReportsLevelTemperatureAndCharging()
    {
        var battery = AdbOutput.ParseBattery(Recorded("dumpsys-battery-android12-charging.txt"))!;

        battery.UsbPowered.ShouldBeTrue();
        battery.StatusName.ShouldBe("charging");
        battery.HealthName.ShouldBe("good");
        battery.VoltageMv.ShouldBe(4123);
        battery.ChargeCounterMicroAh.ShouldBe(3_104_000);
        // The health code is a category and the dump has no cycle count: neither is invented.
        battery.ToContract().ShouldBe(new BatteryData(81, true, 31.5, null, null));
    }

    [Fact]
    public void AFullBatteryOnTheCartIsPoweredButNotCharging()
    {
        var battery = AdbOutput.ParseBattery(Recorded("dumpsys-battery-android14-full.txt"))!;

        battery.Powered.ShouldBeTrue();
        battery.StatusName.ShouldBe("full");
        battery.ToContract().ShouldBe(new BatteryData(100, false, 29.8, null, null));
    }

    [Fact]
    public void ACapacityBasedHealthFigureBecomesHealthPercentAndVendorLinesAreIgnored()
    {
        var battery = AdbOutput.ParseBattery(Recorded("dumpsys-battery-samsung-vendor-lines.txt"))!;

        battery.CapacityHealthPercent.ShouldBe(77);
        battery.ToContract().ShouldBe(new BatteryData(84, true, 32.6, 77, null));
    }

    [Fact]
    public void AnOverheatingBatteryAndFrozenValuesAreRecognised()
    {
        var battery = AdbOutput.ParseBattery(Recorded("dumpsys-battery-overheat-updates-stopped.txt"))!;

        battery.HealthName.ShouldBe("overheat");
        battery.HealthIsBad.ShouldBeTrue();
        battery.UpdatesStopped.ShouldBeTrue();
        battery.StatusName.ShouldBe("discharging");
        battery.ToContract().ShouldBe(new BatteryData(37, false, 46.8, null, null));
    }

    [Fact]
    public void AnAdbErrorIsNotABatteryReading()
    {
        AdbOutput.ParseBattery(Recorded("adb-device-not-found.txt")).ShouldBeNull();
        AdbOutput.ParseBattery("").ShouldBeNull();
    }

    [Fact]
    public void TheCartsDevicesAreListedWithTheirStatesAndModels()
    {
        AdbOutput.ParseDevices(Recorded("adb-devices-cart.txt")).ShouldBe([
            new AdbDevice("2G0YC1ZF8B0M3C", "device", "Quest 3"),
            new AdbDevice("PA7L10MGH2280451D", "unauthorized", null),
            new AdbDevice("emulator-5554", "offline", null),
        ]);
    }

    [Fact]
    public void TheDaemonsStartUpLinesAreNotDevices()
    {
        AdbOutput.ParseDevices(Recorded("adb-devices-cold-start-empty.txt")).ShouldBeEmpty();
    }

    [Fact]
    public void PropertiesAndFreeStorageAreRead()
    {
        var props = AdbOutput.ParseGetprop(Recorded("getprop-quest.txt"));

        props["ro.product.model"].ShouldBe("Quest 3");
        props["ro.build.version.release"].ShouldBe("12");
        AdbOutput.ParseDfAvailableMb(Recorded("df-data.txt")).ShouldBe(105_052_652 / 1024);
    }
}
