using System.Text.Json.Nodes;
using Fleet.Api.Tests.Clinical.Fhir;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Microsoft.Data.Sqlite;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Ehr;

/// <summary>Completed sessions and adverse events reach the EHR through the outbox, whatever the EHR does meanwhile.</summary>
public sealed class EhrPushTests
{
    /// <summary>Fast retries, and a poll interval longer than any test: a commit must wake the sender by itself.</summary>
    private static FleetApp Configure(FleetApp app, FakeEhr ehr) => app
        .WithSetting("Fleet:Ehr:FhirBaseUrl", ehr.BaseUrl)
        .WithSetting("Fleet:Ehr:PollInterval", "00:10:00")
        .WithSetting("Fleet:Ehr:RetryDelay", "00:00:00.010")
        .WithSetting("Fleet:Ehr:MaxRetryDelay", "00:00:00.050")
        .WithSetting("Fleet:Ehr:MaxRetryAttempts", "2")
        .WithSetting("Fleet:Ehr:OutageBackoff", "00:00:00.100");

    [Fact]
    public async Task EverySessionAndAdverseEventArrivesAfterAnOutageAndIsValidFhir()
    {
        await using var ehr = await FakeEhr.StartAsync(failFirst: 10);
        using var app = Configure(new FleetApp(), ehr);

        await app.CleanAsync("HS-0001");
        var first = await app.UseAsync("HS-0001", "MRN-E1");
        var report = await app.ReportComfortAsync("HS-0001", first.Id, 12); // the rule's hold is not a second event
        await app.CleanAsync("HS-0002");
        var second = await app.UseAsync("HS-0002", "MRN-E2");
        var hold = await app.RaiseFlagAsync("HS-0002", "motion_sickness", "Dizzy and pale.");
        await app.CleanAsync("HS-0003");
        var open = await app.AssignAsync("HS-0003", "MRN-E3");

        await ehr.WaitUntilAsync(e => e.StoredOf("DeviceUseStatement").Count == 2 && e.StoredOf("AdverseEvent").Count == 2);

        ehr.Failures.ShouldBe(10);
        ehr.StoredOf("DeviceUseStatement").Select(r => r.Str("id")).Order().ShouldBe(new[] { first.Id, second.Id }.Select(i => i.ToString()).Order());
        ehr.StoredOf("DeviceUseStatement").ShouldAllBe(r => r.Str("status") == "completed");
        ehr.StoredOf("AdverseEvent").Select(r => r.Str("id")).Order().ShouldBe(new[] { report.Id, hold.Id }.Select(i => i.ToString()).Order());
        ehr.Stored.Keys.ShouldNotContain($"DeviceUseStatement/{open.Id}");
        ehr.StoredOf("Device").Select(d => d.Str("id")).Order().ShouldBe(["HS-0001", "HS-0002"]);
        await SentAsync(app);
        Outbox(app).Sum(row => row.Attempts).ShouldBeGreaterThan(Outbox(app).Count);

        var results = await FhirValidator.ValidateAsync(ehr.Stored.Values.Cast<JsonNode>().ToList());
        foreach (var result in results) result.ShouldBeValidFhir();
        foreach (var result in FirelyValidator.Validate(ehr.Stored.Values)) result.ShouldBeValidForFirely();
    }

    [Fact]
    public async Task RestartingTheApiDuringAnOutageLosesNothing()
    {
        using var dir = new TempDirectory();
        await using var ehr = await FakeEhr.StartAsync(down: true);
        SessionView session;
        ComfortReportView report;
        using (var before = Configure(new FleetApp(dir.Path), ehr))
        {
            await before.CleanAsync("HS-0004");
            session = await before.UseAsync("HS-0004", "MRN-R1");
            report = await before.ReportComfortAsync("HS-0004", session.Id, 6);

            // Written with the change, before anything was sent.
            Outbox(before).Select(r => (r.ResourceType, r.ResourceId)).ShouldBe(
                [("DeviceUseStatement", session.Id.ToString()), ("AdverseEvent", report.Id.ToString())]);
            // A 4th request means the first round (1 try + 2 retries) failed and was recorded; stop in the middle of the next.
            await ehr.WaitUntilAsync(e => e.Failures >= 4);
        }

        using (var stopped = TestDatabase.OpenForDirectory(dir.Path))
        {
            var rows = ReadOutbox(stopped);
            rows.ShouldAllBe(r => r.Status == "Pending" && r.SentAt == null);
            rows[0].Attempts.ShouldBeGreaterThanOrEqualTo(1);
            rows[0].LastError!.ShouldContain("503");
        }
        ehr.Stored.ShouldBeEmpty();

        ehr.Down = false;
        using var after = Configure(new FleetApp(dir.Path), ehr);
        _ = after.CreateClient(); // starts the API, and with it the sender

        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{session.Id}") && e.Stored.ContainsKey($"AdverseEvent/{report.Id}"));
        ehr.Stored[$"AdverseEvent/{report.Id}"].Str("severity.coding.0.code").ShouldBe("moderate"); // FMS 6
        await SentAsync(after);
        Outbox(after).ShouldAllBe(r => r.SentAt != null);
    }

    [Fact]
    public async Task ARefusedResourceIsParkedAndAHoldWithoutAPatientIsSkippedWhileTheRestGoOn()
    {
        await using var ehr = await FakeEhr.StartAsync();
        ehr.Refuses.Add("AdverseEvent");
        using var app = Configure(new FleetApp(), ehr);

        await app.CleanAsync("HS-0001");
        var session = await app.UseAsync("HS-0001", "MRN-X1");
        await app.ReportComfortAsync("HS-0001", session.Id, 3);
        await app.RaiseFlagAsync("HS-0005", "motion_sickness", "Found with a cracked lens; no one has used it."); // no patient
        await app.CleanAsync("HS-0002");
        var later = await app.UseAsync("HS-0002", "MRN-X2");

        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{later.Id}"));
        await SentAsync(app, "Sent", "Rejected", "Skipped");
        var rows = Outbox(app);
        rows.Select(r => (r.ResourceType, r.Status)).ShouldBe(
            [("DeviceUseStatement", "Sent"), ("AdverseEvent", "Rejected"), ("AdverseEvent", "Skipped"), ("DeviceUseStatement", "Sent")]);
        rows[1].LastError!.ShouldContain("422");
        ehr.Requests.Count(r => r.Path.Contains("/AdverseEvent/")).ShouldBe(1); // a refusal is not retried
    }

    [Fact]
    public async Task WithoutAnEhrNothingIsQueued()
    {
        using var app = new FleetApp();
        await app.CleanAsync("HS-0001");
        await app.UseAsync("HS-0001", "MRN-N");
        Outbox(app).ShouldBeEmpty();
    }

    /// <summary>
    /// A row is marked just after the EHR answers, so the EHR having everything comes a moment before the outbox says so;
    /// the outbox has no notice to wait on, so this looks every 20 ms, for at most 10 s.
    /// </summary>
    private static async Task SentAsync(FleetApp app, params string[] done)
    {
        done = done.Length == 0 ? ["Sent"] : done;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Outbox(app).Any(r => !done.Contains(r.Status)))
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"Not all done: {string.Join(", ", Outbox(app))}");
            await Task.Delay(20);
        }
    }

    private sealed record OutboxRow(string ResourceType, string ResourceId, string Status, int Attempts, string? SentAt, string? LastError);

    private static List<OutboxRow> Outbox(FleetApp app)
    {
        using var db = app.OpenDatabase();
        return ReadOutbox(db);
    }

    private static List<OutboxRow> ReadOutbox(System.Data.Common.DbConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """SELECT "ResourceType", "ResourceId", "Status", "Attempts", "SentAt", "LastError" FROM ehr_outbox ORDER BY "Id" """;
        using var r = cmd.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (r.Read())
            rows.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : Convert.ToString(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), r.IsDBNull(5) ? null : r.GetString(5)));
        return rows;
    }
}
