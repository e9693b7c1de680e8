using System.Net;
using Fleet.Testing;
using Fleet.Testing.Tls;
using Fleet.Web.Tests.Infrastructure;
using Shouldly;

namespace Fleet.Web.Tests.Hardening;

/// <summary>The web app as production runs it: Production environment, HTTPS only, against the real API.</summary>
public sealed class ProductionWebSite : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create();

    public ServerProcess Api { get; private set; } = default!;
    public ServerProcess Web { get; private set; } = default!;

    /// <summary>Kestrel settings that serve the test authority's certificate for 127.0.0.1.</summary>
    public IReadOnlyDictionary<string, string> Certificate { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var cert = Path.Combine(_data.Path, "web.crt");
        var key = Path.Combine(_data.Path, "web.key");
        using (var server = _ca.IssueServerCertificate("127.0.0.1", "localhost")) TestCertificateAuthority.WritePem(server, cert, key);
        Certificate = new Dictionary<string, string> { ["Kestrel__Certificates__Default__Path"] = cert, ["Kestrel__Certificates__Default__KeyPath"] = key };

        Api = ServerProcess.Start("Fleet.Api", new Dictionary<string, string>
        {
            ["Fleet__DataDirectory"] = Path.Combine(_data.Path, "api"), ["Fleet__Mqtt__Enabled"] = "false", ["Fleet__Auth__LoginsPerMinute"] = "100000",
        });
        await Api.WaitUntilReadyAsync("/health/ready", TimeSpan.FromSeconds(60));
        var web = new Dictionary<string, string>(Certificate) { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Fleet__ApiBaseUrl"] = Api.Url.ToString() };
        Web = ServerProcess.Start("Fleet.Web", web, scheme: "https");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var probe = new FormClient(Web.Url, trustAnyCertificate: true);
        while (true)
        {
            if (Web.HasExited) throw new InvalidOperationException("Fleet.Web exited:\n" + Web.Log);
            try
            {
                if ((await probe.GetAsync("/signin")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Fleet.Web did not answer over HTTPS:\n" + Web.Log);
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        if (Web is not null) await Web.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        _ca.Dispose();
        _data.Dispose();
    }
}

public sealed class ProductionWebTests(ProductionWebSite site) : IClassFixture<ProductionWebSite>
{
    [Fact]
    public async Task OverHttpsTheSessionAndAntiforgeryCookiesAreSecure()
    {
        using var browser = new FormClient(site.Web.Url, trustAnyCertificate: true);
        var signin = await browser.GetAsync("/signin");
        signin.Headers.GetValues("Set-Cookie").ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        var signedIn = await browser.SignInAsync("nurse", "fleet");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fleet-session=", StringComparison.Ordinal));
        session.ShouldContain("secure", Case.Insensitive);
        session.ShouldContain("httponly", Case.Insensitive);
        session.ShouldContain("samesite=strict", Case.Insensitive);
        signin.Headers.GetValues("Strict-Transport-Security").Single().ShouldContain("max-age=");
    }

    [Fact]
    public async Task InProductionTheSignInPageDoesNotListTheDevelopmentLogins()
    {
        using var browser = new FormClient(site.Web.Url, trustAnyCertificate: true);
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
        page.ShouldContain("Sign in to Fleet");
        page.ShouldNotContain("Development logins");
    }

    [Fact]
    public async Task InProductionBadInputGetsPlainPagesAndNoStackTrace()
    {
        using var browser = new FormClient(site.Web.Url, trustAnyCertificate: true);
        await browser.SignInAsync("nurse", "fleet");
        var token = await browser.TokenAsync("/cleaning/HS-0001");
        await WebHardeningTests.ShouldBePlainPageAsync(
            await browser.PostAsync("/cleaning/HS-0001", [new("_handler", "dirty"), new("__RequestVerificationToken", token), new("reason", "a\0b")]), HttpStatusCode.BadRequest);
        var fields = Enumerable.Range(0, 1500).Select(i => new KeyValuePair<string, string>($"f{i}", "x"));
        await WebHardeningTests.ShouldBePlainPageAsync(await browser.PostAsync("/cleaning/HS-0001", fields), HttpStatusCode.BadRequest);
        var huge = new ByteArrayContent(new byte[50 * 1024 * 1024]);
        huge.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cleaning/HS-0001") { Content = huge };
        request.Headers.ExpectContinue = true; // as a browser would, read the answer that comes before the body is sent
        await WebHardeningTests.ShouldBePlainPageAsync(await browser.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        WebHardeningTests.ShouldHaveSecurityHeaders(await browser.GetAsync("/no-such-page"));
    }

    [Fact]
    public async Task InProductionTheWebAppRefusesToServePlainHttp()
    {
        await using var web = ServerProcess.Start("Fleet.Web", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Fleet__ApiBaseUrl"] = site.Api.Url.ToString(),
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!web.HasExited && DateTime.UtcNow < deadline) await Task.Delay(200);
        web.HasExited.ShouldBeTrue("the web app must not start on plain HTTP in Production");
        web.Log.ShouldContain("must be reached over HTTPS");
    }
}
