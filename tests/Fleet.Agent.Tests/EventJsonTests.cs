using System.Text;
using Fleet.Agent.Core.Events;
using Fleet.Api.Ingestion;
using Fleet.Contracts.Mqtt;
using Shouldly;

namespace Fleet.Agent.Tests;

public sealed class EventJsonTests
{
    private static readonly Guid Id = Guid.Parse("0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d");
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 15, 0, 123, TimeSpan.Zero);

    [Fact]
    public void TheEnvelopeIsExactlyTheContractsExample()
    {
        var json = Encoding.UTF8.GetString(EventJson.Envelope(Id, "HS-0001", 1042, EventTypes.Battery, At, new BatteryData(81, false, 31.5, 96, 143)));

        json.ShouldBe("""{"id":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","headset":"HS-0001","seq":1042,"type":"battery","at":"2026-11-21T10:15:00.123Z","data":{"percent":81,"charging":false,"temperatureC":31.5,"healthPercent":96,"cycleCount":143}}""");
    }

    public static TheoryData<string, object, string> DataOfEveryType => new()
    {
        { EventTypes.Heartbeat, new HeartbeatData(3600, "1.0.0"), """{"uptimeS":3600,"agentVersion":"1.0.0"}""" },
        { EventTypes.DeviceInfo, new DeviceInfoData("Quest 3", "2G0Y", "72.0", "Android 12", 51234, -58), """{"model":"Quest 3","serial":"2G0Y","firmware":"72.0","os":"Android 12","storageFreeMb":51234,"wifiRssi":-58}""" },
        { EventTypes.Worn, new WornData(true), """{"on":true}""" },
        { EventTypes.SessionStarted, new SessionStartedData(Id, "com.vendor.therapy"), """{"sessionId":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","app":"com.vendor.therapy"}""" },
        { EventTypes.SessionEnded, new SessionEndedData(Id, "com.vendor.therapy", 1260, 71.8, 0.7, 0), """{"sessionId":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","app":"com.vendor.therapy","wearSeconds":1260,"fpsAvg":71.8,"droppedFramePercent":0.7,"trackingLostCount":0}""" },
        { EventTypes.CleaningCompleted, new CleaningCompletedData("uvc", "UV-2", 60, true), """{"method":"uvc","cabinetId":"UV-2","cycleSeconds":60,"completed":true}""" },
        { EventTypes.ComfortReport, new ComfortReportData(Id, 7, "dizzy after 10 min"), """{"sessionId":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","fms":7,"note":"dizzy after 10 min"}""" },
        { EventTypes.CommandResult, new CommandResultData(Id, true, "locked"), """{"commandId":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","ok":true,"detail":"locked"}""" },
    };

    [Theory]
    [MemberData(nameof(DataOfEveryType))]
    public void EveryEventTypesDataHasTheContractsFieldNames(string type, object data, string expected)
    {
        var json = Encoding.UTF8.GetString(EventJson.Envelope(Id, "HS-0001", 1, type, At, data));

        json.ShouldEndWith($"\"type\":\"{type}\",\"at\":\"2026-11-21T10:15:00.123Z\",\"data\":{expected}}}");
    }

    [Theory]
    [MemberData(nameof(DataOfEveryType))]
    public void TheApiAcceptsEveryEventTheAgentWrites(string type, object data, string _)
    {
        var payload = EventJson.Envelope(Guid.CreateVersion7(At), "HS-0001", 7, type, At, data);

        var (accepted, rejection) = EventValidator.Validate("HS-0001", payload, At.AddSeconds(1));

        rejection.ShouldBeNull();
        accepted!.Seq.ShouldBe(7);
        accepted.At.ShouldBe(At);
    }

    [Fact]
    public void OptionalFieldsWithoutAValueAreLeftOut()
    {
        var json = Encoding.UTF8.GetString(EventJson.Envelope(Id, "HS-0001", 1, EventTypes.Battery, At, new BatteryData(55, true, null, null, null)));

        json.ShouldEndWith("""data":{"percent":55,"charging":true}}""");
    }

    [Fact]
    public void TimesAreUtcWithExactlyThreeFractionDigits()
    {
        var local = new DateTimeOffset(2026, 11, 21, 11, 15, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

        EventJson.FormatTime(EventJson.ToMilliseconds(local)).ShouldBe("2026-11-21T10:15:00.123Z");
        EventJson.FormatTime(new DateTimeOffset(2026, 11, 21, 10, 15, 0, TimeSpan.Zero)).ShouldBe("2026-11-21T10:15:00.000Z");
    }

    [Fact]
    public void TheStatusIsOnlineWithATimeAndTheLastWillIsOfflineWithout()
    {
        Encoding.UTF8.GetString(EventJson.Status(true, At)).ShouldBe("""{"online":true,"at":"2026-11-21T10:15:00.123Z"}""");
        Encoding.UTF8.GetString(EventJson.Status(false, null)).ShouldBe("""{"online":false}""");
    }
}
