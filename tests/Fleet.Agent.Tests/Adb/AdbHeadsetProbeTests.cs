using System.ComponentModel;
using Fleet.Agent.Core.Probes;
using Fleet.Agent.Core.Probes.Adb;
using Fleet.Contracts.Mqtt;
using Microsoft.Extensions.Logging;
using Shouldly;
using static Fleet.Agent.Tests.Adb.AdbOutputTests;

namespace Fleet.Agent.Tests.Adb;

/// <summary>adb itself is outside our control, so it is replaced by recorded answers; everything else is the real probe.</summary>
public sealed class AdbHeadsetProbeTests
{
    private const string Serial = "2G0YC1ZF8B0M3C";

    private sealed class RecordedAdb : IProcessRunner
    {
        public List<string> Calls { get; } = [];
        public Func<IReadOnlyList<string>, ProcessResult>? Answer { get; set; }

        public Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Calls.Add(string.Join(' ', arguments));
            return Task.FromResult(Answer!(arguments));
        }
    }

    private static ProcessResult Ok(string output) => new(0, output, "");

    private static ProcessResult Cart(IReadOnlyList<string> args) => args[0] == "devices"
        ? Ok(Recorded("adb-devices-cart.txt"))
        : Ok(Recorded("dumpsys-battery-android12-charging.txt"));

    [Fact]
    public async Task TheBatteryIsReadFromTheHeadsetWithItsSerial()
    {
        var adb = new RecordedAdb { Answer = Cart };
        var probe = new AdbHeadsetProbe(Serial, new ListLogger(), adb);

        (await probe.ReadAsync(CancellationToken.None)).ShouldBe(new BatteryData(81, true, 31.5, null, null));
        adb.Calls.ShouldBe(["devices -l", $"-s {Serial} shell dumpsys battery"]);
    }

    [Fact]
    public async Task DeviceInfoComesFromGetpropAndDf()
    {
        var adb = new RecordedAdb
        {
            Answer = args => args[0] == "devices" ? Ok(Recorded("adb-devices-cart.txt"))
                : args.Contains("getprop") ? Ok(Recorded("getprop-quest.txt")) : Ok(Recorded("df-data.txt")),
        };
        IDeviceInfoProbe probe = new AdbHeadsetProbe(Serial, new ListLogger(), adb);

        (await probe.ReadAsync(CancellationToken.None)).ShouldBe(new DeviceInfoData("Quest 3", Serial, "SQ3A.220705.003.A1", "Android 12", 105_052_652 / 1024, null));
    }

    [Fact]
    public async Task MissingAdbIsOneClearLogLineNotACrashNorAFlood()
    {
        var adb = new RecordedAdb { Answer = _ => throw new ToolMissingException("adb", new Win32Exception(2, "No such file or directory")) };
        var log = new ListLogger();
        var probe = new AdbHeadsetProbe(Serial, log, adb);

        for (var i = 0; i < 5; i++) (await probe.ReadAsync(CancellationToken.None)).ShouldBeNull();

        log.AtLeast(LogLevel.Warning).ShouldHaveSingleItem().ShouldContain("adb cannot be run (No such file or directory)");
    }

    [Fact]
    public async Task AHeadsetThatVanishesIsLoggedOnceAndSoIsItsReturn()
    {
        var adb = new RecordedAdb { Answer = Cart };
        var log = new ListLogger();
        var probe = new AdbHeadsetProbe(Serial, log, adb);
        (await probe.ReadAsync(CancellationToken.None)).ShouldNotBeNull();

        adb.Answer = args => Ok(Recorded("adb-devices-cold-start-empty.txt"));
        for (var i = 0; i < 3; i++) (await probe.ReadAsync(CancellationToken.None)).ShouldBeNull();
        probe.Problem.ShouldNotBeNull().ShouldContain("is not connected");

        adb.Answer = Cart;
        (await probe.ReadAsync(CancellationToken.None)).ShouldNotBeNull();
        probe.Problem.ShouldBeNull();

        log.Entries.Select(e => e.Message).ShouldBe([
            $"adb: headset {Serial} is not connected to adb (unplugged from the cart, or its USB cable or port failed); no battery or device readings until this is fixed",
            $"adb: headset {Serial} is readable again",
        ]);
    }

    [Fact]
    public async Task AnUnauthorisedHeadsetSaysWhatToDo()
    {
        var log = new ListLogger();
        var probe = new AdbHeadsetProbe("PA7L10MGH2280451D", log, new RecordedAdb { Answer = Cart });

        (await probe.ReadAsync(CancellationToken.None)).ShouldBeNull();

        log.AtLeast(LogLevel.Warning).ShouldHaveSingleItem().ShouldContain("accept the USB debugging prompt");
    }

    [Fact]
    public async Task AnOverheatingBatteryIsReportedAndWarnedAboutOnce()
    {
        var log = new ListLogger();
        var adb = new RecordedAdb
        {
            Answer = args => args[0] == "devices" ? Ok(Recorded("adb-devices-cart.txt")) : Ok(Recorded("dumpsys-battery-overheat-updates-stopped.txt")),
        };
        var probe = new AdbHeadsetProbe(Serial, log, adb);

        (await probe.ReadAsync(CancellationToken.None))!.TemperatureC.ShouldBe(46.8);
        await probe.ReadAsync(CancellationToken.None);

        log.AtLeast(LogLevel.Warning).ShouldHaveSingleItem().ShouldContain("battery health 'overheat'");
    }

    [Fact]
    public async Task ARealAdbThatIsNotInstalledIsReportedTheSameWay()
    {
        var log = new ListLogger();
        var probe = new AdbHeadsetProbe(Serial, log, adbPath: "/nonexistent/adb");

        (await probe.ReadAsync(CancellationToken.None)).ShouldBeNull();

        log.AtLeast(LogLevel.Warning).ShouldHaveSingleItem().ShouldContain("adb cannot be run");
    }
}
