using System.Text.Json;
using Fleet.Agent.Core.Storage;
using Fleet.Contracts.Mqtt;
using Fleet.Testing;
using Microsoft.Data.Sqlite;
using Shouldly;

namespace Fleet.Agent.Tests.Storage;

public sealed class OutboxTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private Outbox Open(int maxEvents = 10_000) => Outbox.Open(_dir.File("outbox.db"), "HS-0001", new OutboxOptions { MaxEvents = maxEvents });

    [Fact]
    public void EventsWaitInTheFileAcrossAClose()
    {
        using (var outbox = Open())
        {
            outbox.Append(EventTypes.Worn, new WornData(true), At);
            outbox.Append(EventTypes.Battery, new BatteryData(80, false, null, null, null), At.AddSeconds(1));
        }

        using var reopened = Open();
        var entries = reopened.ReadAfter(0, 10);
        entries.Select(e => e.Seq).ShouldBe([1L, 2L]);
        entries.Select(e => e.Type).ShouldBe([EventTypes.Worn, EventTypes.Battery]);
        JsonDocument.Parse(entries[0].Payload).RootElement.GetProperty("id").GetGuid().ShouldBe(entries[0].Id);
        reopened.Counts.Depth.ShouldBe(2);
    }

    [Fact]
    public void SeqCarriesOnAfterARestartEvenWhenEverythingWasAcknowledged()
    {
        using (var outbox = Open())
        {
            outbox.Append(EventTypes.Heartbeat, new HeartbeatData(1, "1.0.0"), At);
            outbox.Append(EventTypes.Heartbeat, new HeartbeatData(2, "1.0.0"), At);
            outbox.DeleteConfirmed([1, 2]);
            outbox.Counts.Depth.ShouldBe(0);
        }

        using var reopened = Open();
        reopened.Append(EventTypes.Heartbeat, new HeartbeatData(3, "1.0.0"), At).Seq.ShouldBe(3);
        reopened.Counts.ShouldBe(new OutboxCounts(Depth: 1, LastSeq: 3, Acknowledged: 2, Thinned: 0));
    }

    [Fact]
    public void OnlyAcknowledgedEventsLeaveTheOutbox()
    {
        using var outbox = Open();
        for (var i = 0; i < 3; i++) outbox.Append(EventTypes.Worn, new WornData(i % 2 == 0), At);

        outbox.DeleteConfirmed([2]);

        outbox.ReadAfter(0, 10).Select(e => e.Seq).ShouldBe([1L, 3L]);
        outbox.ReadAfter(1, 10).Select(e => e.Seq).ShouldBe([3L]);
        outbox.Counts.Acknowledged.ShouldBe(1);
    }

    [Fact]
    public void AFullOutboxThinsTelemetryAndNeverDropsHygieneSessionOrComfortEvents()
    {
        using var outbox = Open(maxEvents: 50);
        var kept = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            if (i % 10 == 0) kept.Add(outbox.Append(ProtectedTypes[i / 10 % ProtectedTypes.Length], ProtectedData[i / 10 % ProtectedTypes.Length], At).Seq);
            else outbox.Append(i % 2 == 0 ? EventTypes.Battery : EventTypes.Heartbeat, i % 2 == 0 ? new BatteryData(50, false, null, null, null) : new HeartbeatData(i, "1"), At);
        }

        var left = outbox.ReadAfter(0, 1000);
        left.Count.ShouldBeLessThanOrEqualTo(50);
        left.Where(e => !EventTypes.IsTelemetry(e.Type)).Select(e => e.Seq).ShouldBe(kept);
        outbox.Counts.Thinned.ShouldBe(200 - left.Count);
        // The newest telemetry is kept whole: thinning starts with the oldest.
        left.Last().Seq.ShouldBe(200);
    }

    [Fact]
    public void WhenOnlyEventsThatMustNotBeDroppedRemainTheOutboxGrowsPastItsBound()
    {
        var log = new ListLogger();
        using var outbox = Outbox.Open(_dir.File("outbox.db"), "HS-0001", new OutboxOptions { MaxEvents = 10 }, log);

        for (var i = 0; i < 25; i++) outbox.Append(EventTypes.Worn, new WornData(i % 2 == 0), At);

        outbox.Counts.Depth.ShouldBe(25);
        outbox.Counts.Thinned.ShouldBe(0);
        log.AtLeast(Microsoft.Extensions.Logging.LogLevel.Warning).ShouldHaveSingleItem().ShouldContain("over its bound of 10");
    }

    [Fact]
    public void ACommandIsAnsweredOnceHoweverOftenItIsDelivered()
    {
        using var outbox = Open();
        var command = Guid.CreateVersion7();

        outbox.AppendCommandResult(new CommandResultData(command, true, "locked"), At, new Dictionary<string, string> { ["locked"] = "true" }).ShouldNotBeNull();
        outbox.AppendCommandResult(new CommandResultData(command, true, "locked"), At).ShouldBeNull();

        outbox.WasCommandHandled(command).ShouldBeTrue();
        outbox.GetSetting("locked").ShouldBe("true");
        outbox.ReadAfter(0, 10).ShouldHaveSingleItem().Type.ShouldBe(EventTypes.CommandResult);
    }

    [Fact]
    public void AnOutboxBelongsToOneHeadset()
    {
        Open().Dispose();

        Should.Throw<InvalidOperationException>(() => Outbox.Open(_dir.File("outbox.db"), "HS-0002")).Message.ShouldContain("belongs to headset HS-0001");
    }

    [Fact]
    public void TwoAgentsCannotShareAnOutbox()
    {
        using var first = Open();

        Should.Throw<SqliteException>(() => Outbox.Open(_dir.File("outbox.db"), "HS-0001")).SqliteErrorCode.ShouldBe(5); // SQLITE_BUSY
    }

    private static readonly string[] ProtectedTypes =
        [EventTypes.Worn, EventTypes.SessionStarted, EventTypes.SessionEnded, EventTypes.CleaningCompleted, EventTypes.ComfortReport, EventTypes.CommandResult];

    private static readonly object[] ProtectedData =
    [
        new WornData(true), new SessionStartedData(null, "app"), new SessionEndedData(null, "app", 60, null, null, null),
        new CleaningCompletedData("uvc", "UV-1", 60, true), new ComfortReportData(null, 3, null), new CommandResultData(Guid.Empty, true, null),
    ];

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheOutboxItsWriteAheadLogAndItsDirectoryAreOwnerOnlyWhateverTheUmask()
    {
        // The test process runs with the usual umask (022), under which a plain create gives 0644 and 0755.
        var path = Path.Combine(_dir.File("headset"), "data", "outbox.db");
        using (var outbox = Outbox.Open(path, "HS-0001"))
        {
            outbox.Append(EventTypes.Worn, new WornData(true), At);
            File.Exists(path + "-wal").ShouldBeTrue();
            File.GetUnixFileMode(path + "-wal").ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(path)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _dir.Dispose();
}
