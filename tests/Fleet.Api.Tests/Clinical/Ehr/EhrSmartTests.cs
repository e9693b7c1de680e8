using System.Security.Cryptography;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Ehr;

/// <summary>
/// The EHR push authenticates with SMART Backend Services against a local authorisation server: a client assertion
/// signed with Fleet's key buys a token, the token is kept until shortly before it expires, and a refused token is renewed.
/// </summary>
public sealed class EhrSmartTests : IDisposable
{
    private const string Scopes = "system/Device.write system/DeviceUseStatement.write system/AdverseEvent.write";
    private readonly TempDirectory _dir = new();
    private readonly RSA _fleetKey = RSA.Create(2048);

    private string KeyFile()
    {
        var path = Path.Combine(_dir.Path, "fleet-ehr-key.pem");
        File.WriteAllText(path, _fleetKey.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private static SecurityKey PublicKeyOf(RSA rsa) => new RsaSecurityKey(rsa.ExportParameters(false));

    private async Task<(FleetApp App, FakeEhr Ehr)> StartAsync(SecurityKey registered)
    {
        var ehr = await FakeEhr.StartAsync();
        var app = new FleetApp().CaptureLogs()
            .WithSetting("Fleet:Ehr:FhirBaseUrl", ehr.BaseUrl)
            .WithSetting("Fleet:Ehr:PollInterval", "00:10:00")
            .WithSetting("Fleet:Ehr:RetryDelay", "00:00:00.010")
            .WithSetting("Fleet:Ehr:MaxRetryDelay", "00:00:00.050")
            .WithSetting("Fleet:Ehr:MaxRetryAttempts", "2")
            .WithSetting("Fleet:Ehr:OutageBackoff", "00:00:00.200")
            .WithSetting("Fleet:Ehr:Smart:TokenUrl", ehr.TokenUrl)
            .WithSetting("Fleet:Ehr:Smart:ClientId", "fleet")
            .WithSetting("Fleet:Ehr:Smart:Scopes", Scopes)
            .WithSetting("Fleet:Ehr:Smart:PrivateKeyPath", KeyFile());
        ehr.RequireAuthorization = true;
        ehr.ClientKey = registered;
        // The steps move the clock (cleaning contact times, session lengths): a token outlives a few of them.
        ehr.TokenLifetime = TimeSpan.FromHours(2);
        ehr.Clock = app.Time;
        return (app, ehr);
    }

    [Fact]
    public async Task ThePushGetsATokenWithASignedClientAssertionAndDeliversWithoutLoggingIt()
    {
        var (app, ehr) = await StartAsync(PublicKeyOf(_fleetKey));
        await using var _ = ehr;
        using var __ = app;

        await app.CleanAsync("HS-0001");
        var first = await app.UseAsync("HS-0001", "MRN-S1");
        await app.ReportComfortAsync("HS-0001", first.Id, 8);
        await app.CleanAsync("HS-0002");
        await app.UseAsync("HS-0002", "MRN-S2");
        await ehr.WaitUntilAsync(e => e.StoredOf("DeviceUseStatement").Count == 2 && e.StoredOf("AdverseEvent").Count == 1);

        var request = ehr.TokenRequests.ShouldHaveSingleItem(); // one token for every PUT: it is cached
        request.Scope.ShouldBe(Scopes);
        request.Alg.ShouldBe("RS384");
        request.Kid.ShouldNotBeNullOrEmpty();
        var claims = request.Assertion.ShouldNotBeNull();
        claims["iss"].ShouldBe("fleet");
        claims["sub"].ShouldBe("fleet");
        claims["aud"].ShouldBe(ehr.TokenUrl);
        ((string)claims["jti"]).ShouldNotBeNullOrEmpty();
        (Convert.ToInt64(claims["exp"]) - Convert.ToInt64(claims["iat"])).ShouldBeLessThanOrEqualTo(300);
        ehr.Unauthorized.ShouldBe(0);
        ehr.Authorizations.ShouldAllBe(a => a == "Bearer " + ehr.Tokens.Keys.Single());

        var logs = app.Logs!.Lines.ToList();
        logs.ShouldContain(l => l.Contains("System.Net.Http.HttpClient.ehr")); // the HTTP client logged its requests ...
        foreach (var secret in ehr.Tokens.Keys.Concat(ehr.Assertions))
            logs.ShouldNotContain(l => l.Contains(secret)); // ... and neither the token nor the assertion is in any line
    }

    [Fact]
    public async Task ARevokedTokenIsRenewedOnTheEhrs401AndAnExpiringOneBeforeItLapsesAndNothingIsLost()
    {
        var (app, ehr) = await StartAsync(PublicKeyOf(_fleetKey));
        await using var _ = ehr;
        using var __ = app;

        await app.CleanAsync("HS-0001");
        var first = await app.UseAsync("HS-0001", "MRN-T1");
        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{first.Id}"));
        ehr.TokenRequests.Count.ShouldBe(1);

        ehr.RevokeTokens();
        await app.CleanAsync("HS-0002");
        var second = await app.UseAsync("HS-0002", "MRN-T2");
        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{second.Id}"));
        ehr.Unauthorized.ShouldBe(1);
        ehr.TokenRequests.Count.ShouldBe(2);

        // Past the token's life at the EHR: Fleet renews first, so the EHR never has to refuse it.
        app.Time.Advance(ehr.TokenLifetime);
        await app.CleanAsync("HS-0003");
        var third = await app.UseAsync("HS-0003", "MRN-T3");
        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{third.Id}"));
        ehr.Unauthorized.ShouldBe(1);
        ehr.TokenRequests.Count.ShouldBe(3);

        await WaitForOutboxAsync(app, rows => rows.All(r => r.Status == "Sent"));
        OutboxOf(app).Count.ShouldBe(3);
    }

    [Fact]
    public async Task AWrongKeyIsRefusedTheQueueWaitsAndBiomedSeesAnAlertUntilTheKeyIsRegistered()
    {
        using var other = RSA.Create(2048);
        var (app, ehr) = await StartAsync(PublicKeyOf(other));
        await using var _ = ehr;
        using var __ = app;

        await app.CleanAsync("HS-0004");
        var session = await app.UseAsync("HS-0004", "MRN-W1");
        await WaitForOutboxAsync(app, rows => rows.Any(r => r.Attempts >= 2));

        var row = OutboxOf(app).ShouldHaveSingleItem();
        row.Status.ShouldBe("Pending");
        row.LastError!.ShouldContain("invalid_client");
        ehr.Stored.ShouldBeEmpty();
        ehr.TokenRequests.ShouldAllBe(r => r.Assertion == null);
        var biomed = await app.ClientAs("biomed");
        var alert = (await biomed.Get<List<AlertView>>("/api/v1/alerts?open=true&kind=ehr_authorization")).ShouldHaveSingleItem();
        alert.Severity.ShouldBe("critical");
        alert.HeadsetId.ShouldBe("HS-0004");
        alert.Message.ShouldContain("refused Fleet's client credentials");
        alert.Message.ShouldContain("kid");

        ehr.ClientKey = PublicKeyOf(_fleetKey); // the EHR registers the right key
        await ehr.WaitUntilAsync(e => e.Stored.ContainsKey($"DeviceUseStatement/{session.Id}"));

        await WaitForOutboxAsync(app, rows => rows.All(r => r.Status == "Sent"));
        (await biomed.Get<List<AlertView>>("/api/v1/alerts?open=true&kind=ehr_authorization")).ShouldBeEmpty();
        (await biomed.Get<List<AlertView>>("/api/v1/alerts?kind=ehr_authorization")).ShouldHaveSingleItem().ClosedAt.ShouldNotBeNull();
        var trail = await (await app.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0004");
        trail.Where(e => e.Action.StartsWith("alert.", StringComparison.Ordinal)).Select(e => (e.Action, e.Actor))
            .ShouldBe([("alert.opened", "system:ehr-push"), ("alert.closed", "system:ehr-push")], ignoreOrder: true);
    }

    private sealed record OutboxRow(string Status, int Attempts, string? LastError);

    private static List<OutboxRow> OutboxOf(FleetApp app)
    {
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """SELECT "Status", "Attempts", "LastError" FROM ehr_outbox ORDER BY "Id" """;
        using var r = cmd.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (r.Read()) rows.Add(new(r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2)));
        return rows;
    }

    /// <summary>The outbox has no notice to wait on: look every 20 ms, for at most 15 s.</summary>
    private static async Task WaitForOutboxAsync(FleetApp app, Func<List<OutboxRow>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition(OutboxOf(app)))
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"The outbox did not get there: {string.Join(", ", OutboxOf(app))}");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _fleetKey.Dispose();
        _dir.Dispose();
    }
}
