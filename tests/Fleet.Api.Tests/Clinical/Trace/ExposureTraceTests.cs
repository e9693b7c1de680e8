using System.Net;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing.Time;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Trace;

/// <summary>
/// One morning on two headsets, every hand-over of which has a different story:
/// <code>
/// HS-0002  P 08:05-08:35 | cleaning 08:40-08:43 logged late at 09:28 | Q 09:30-10:00 | a cleaning logged for 09:50-09:53
///          (during Q's session) | cleaning 10:10-10:12, later corrected to 30 s of alcohol (invalid) | R 10:15-10:45
/// HS-0005  R 10:55-11:25 | cleaning started 11:30, abandoned (marked dirty) | cleaning 11:35-11:37, later corrected to
///          60 s of quat (invalid) | S 11:40-12:10
/// </code>
/// </summary>
public sealed class TraceHistory : IAsyncLifetime
{
    public const string A = "HS-0002", B = "HS-0005";
    public FleetApp App { get; } = new();
    public CleaningView LateLogged { get; private set; } = null!;

    public static DateTimeOffset T(int hour, int minute, int second = 0) =>
        new DateTimeOffset(ManualTimeProvider.DefaultStart.Date, TimeSpan.Zero).Add(new TimeSpan(hour, minute, second));

    public async Task InitializeAsync()
    {
        await App.CleanAsync(A);
        await UseAsync(A, "MRN-P", T(8, 5));
        App.Time.SetUtcNow(T(9, 28));
        LateLogged = await App.LogCleaningAsync(A, "quat-wipe", T(8, 40), T(8, 43));
        await UseAsync(A, "MRN-Q", T(9, 30));
        App.Time.SetUtcNow(T(10, 8));
        (await App.LogCleaningAsync(A, "quat-wipe", T(9, 50), T(9, 53))).Valid.ShouldBeTrue();
        App.Time.SetUtcNow(T(10, 10));
        var corrected = await App.CleanAsync(A);
        await UseAsync(A, "MRN-R", T(10, 15));
        App.Time.SetUtcNow(T(10, 50));
        (await App.LogCleaningAsync(A, "alcohol-wipe", T(10, 10), T(10, 10, 30), corrected.Id)).Valid.ShouldBeFalse();

        await App.CleanAsync(B);
        await UseAsync(B, "MRN-R", T(10, 55));
        App.Time.SetUtcNow(T(11, 30));
        await App.StartCleaningAsync(B);
        App.Time.SetUtcNow(T(11, 31));
        await App.MarkDirtyAsync(B);
        App.Time.SetUtcNow(T(11, 35));
        var corrected2 = await App.CleanAsync(B);
        await UseAsync(B, "MRN-S", T(11, 40));
        App.Time.SetUtcNow(T(12, 15));
        (await App.LogCleaningAsync(B, "quat-wipe", T(11, 35), T(11, 36), corrected2.Id)).Valid.ShouldBeFalse();
        App.Time.SetUtcNow(T(12, 30));
    }

    private async Task UseAsync(string headsetId, string patientRef, DateTimeOffset at)
    {
        App.Time.SetUtcNow(at);
        await App.UseAsync(headsetId, patientRef);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ExposureTraceTests(TraceHistory history) : IClassFixture<TraceHistory>
{
    private const string A = TraceHistory.A, B = TraceHistory.B;
    private FleetApp App => history.App;

    private static DateTimeOffset T(int hour, int minute) => TraceHistory.T(hour, minute);

    [Fact]
    public async Task ALateLoggedValidCleaningProtectsEveryLaterPatientAndEndsTheChain()
    {
        var trace = await TraceAsync("patientRef=MRN-P&depth=3");

        trace.Headsets.ShouldBe([A]);
        trace.ExposedPatients.ShouldBeEmpty();
        trace.Links.Select(l => (l.ToPatientRef, l.ValidCleaningBetween, l.Depth)).ShouldBe([("MRN-Q", true, 1), ("MRN-R", true, 1)]);
        trace.Links.ShouldAllBe(l => l.CleaningId == history.LateLogged.Id);
        trace.Links[0].Explanation.ShouldBe(
            "MRN-Q received HS-0002 at 2026-11-22 09:30:00 UTC after MRN-P returned it at 2026-11-22 08:35:00 UTC; a valid cleaning " +
            "stood between them: the quat-wipe cleaning from 2026-11-22 08:40:00 UTC to 2026-11-22 08:43:00 UTC (logged late).");
        trace.Links[1].Explanation.ShouldContain("(1 other session in between)");
    }

    [Fact]
    public async Task ACorrectedCleaningAndOneDuringTheSessionDoNotProtect()
    {
        var trace = await TraceAsync("patientRef=MRN-Q&depth=1");

        var link = trace.Links.ShouldHaveSingleItem();
        (link.FromPatientRef, link.ToPatientRef, link.HeadsetId, link.ValidCleaningBetween).ShouldBe(("MRN-Q", "MRN-R", A, false));
        link.FromSessionEndedAt.ShouldBe(T(10, 0));
        link.ToSessionStartedAt.ShouldBe(T(10, 15));
        link.CleaningId.ShouldBeNull();
        link.Explanation.ShouldContain("with no valid cleaning in between", customMessage: link.Explanation);
        link.Explanation.ShouldContain("the alcohol-wipe cleaning from 2026-11-22 10:10:00 UTC to 2026-11-22 10:10:30 UTC (logged late) was invalid (70 % alcohol wipe must stay wet for 60 s; this cleaning lasted 30 s.)", customMessage: link.Explanation);
        link.Explanation.ShouldContain("the quat-wipe cleaning from 2026-11-22 09:50:00 UTC to 2026-11-22 09:53:00 UTC (logged late) was valid but started before the earlier session ended", customMessage: link.Explanation);
        trace.ExposedPatients.ShouldBe(["MRN-R"]);
    }

    [Fact]
    public async Task TheChainContinuesFromAnExposedPatientToTheRequestedDepth()
    {
        var trace = await TraceAsync("patientRef=MRN-Q&depth=2");

        trace.Headsets.ShouldBe([A, B]);
        trace.ExposedPatients.ShouldBe(["MRN-R", "MRN-S"]);
        var second = trace.Links.Single(l => l.Depth == 2);
        (second.FromPatientRef, second.ToPatientRef, second.HeadsetId, second.ValidCleaningBetween).ShouldBe(("MRN-R", "MRN-S", B, false));
        second.Explanation.ShouldContain("the cleaning started at 2026-11-22 11:30:00 UTC was abandoned (Marked dirty during the cleaning.)", customMessage: second.Explanation);
        second.Explanation.ShouldContain("was invalid (Quaternary ammonium wipe must stay wet for 120 s; this cleaning lasted 60 s.)", customMessage: second.Explanation);
    }

    [Fact]
    public async Task AHeadsetTraceStartsFromEveryoneWhoUsedItInThePeriod()
    {
        var trace = await TraceAsync($"headsetId={A}&depth=1");

        trace.SourcePatients.ShouldBe(["MRN-P", "MRN-Q", "MRN-R"]);
        trace.Links.Select(l => $"{l.FromPatientRef}>{l.ToPatientRef}:{l.ValidCleaningBetween}")
            .ShouldBe(["MRN-P>MRN-Q:True", "MRN-P>MRN-R:True", "MRN-Q>MRN-R:False"]);
        trace.ExposedPatients.ShouldBe(["MRN-R"]);

        var deeper = await TraceAsync($"headsetId={A}&depth=2");
        deeper.ExposedPatients.ShouldBe(["MRN-R", "MRN-S"]);
        deeper.Headsets.ShouldBe([A, B]);
    }

    [Fact]
    public async Task OnlyHandOversInsideThePeriodAreFollowed()
    {
        var early = await TraceAsync($"patientRef=MRN-Q&depth=2&to={T(11, 0):O}");
        early.ExposedPatients.ShouldBe(["MRN-R"]);
        early.Links.ShouldHaveSingleItem();

        var late = await TraceAsync($"patientRef=MRN-P&from={T(12, 0):O}");
        late.Headsets.ShouldBeEmpty();
        late.Links.ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryTraceIsAuditedWithWhoLookedAtWhom()
    {
        await TraceAsync("patientRef=MRN-S&depth=2");
        await (await App.ClientAs("biomed")).Get<TraceResult>($"/api/v1/trace?headsetId={B}&depth=3");

        var admin = await App.ClientAs("admin");
        var patient = (await admin.Get<List<AuditEntryView>>("/api/v1/audit?entityId=MRN-S&action=trace.viewed")).ShouldHaveSingleItem();
        (patient.Actor, patient.EntityType).ShouldBe(("user:infection", "patient"));
        patient.Data!.ShouldContain("\"depth\":2");
        patient.Data!.ShouldContain("\"from\":\"2026-10-23T12:30:00Z\""); // the default period: 30 days up to now
        var headset = (await admin.Get<List<AuditEntryView>>($"/api/v1/audit?entityId={B}&action=trace.viewed"))
            .Where(a => a.Actor == "user:biomed").ShouldHaveSingleItem();
        headset.EntityType.ShouldBe("headset");
        headset.Data!.ShouldContain("\"depth\":3");
    }

    [Theory]
    [InlineData("patientRef=MRN-Q&headsetId=HS-0002", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("depth=2", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("patientRef=MRN-Q&depth=6", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("patientRef=Jane%20Doe", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("headsetId=HS-9999", HttpStatusCode.NotFound, "not_found")]
    public async Task ABadTraceRequestSaysWhatIsWrong(string query, HttpStatusCode status, string code)
    {
        var r = await (await App.ClientAs("infection")).GetAsync("/api/v1/trace?" + query);
        await r.ShouldBeProblem(status, code);
    }

    [Fact]
    public async Task NursesMayNotTracePatients()
    {
        var r = await (await App.ClientAs("nurse")).GetAsync("/api/v1/trace?patientRef=MRN-Q");
        await r.ShouldBeProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<TraceResult> TraceAsync(string query) =>
        await (await App.ClientAs("infection")).Get<TraceResult>("/api/v1/trace?" + query.Replace("+", "%2B"));
}
