using System.Net;
using System.Net.Http.Json;
using System.Text;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Shouldly;

namespace Fleet.Web.Tests.Hardening;

/// <summary>The web session, bad input and headers, over HTTP against the real web app and API (Development).</summary>
public sealed class WebHardeningTests(FleetSite site) : IClassFixture<FleetSite>
{
    [Fact]
    public async Task SigningOutNeedsAnAntiforgeryTokenAndEndsTheSessionOnTheServer()
    {
        using var browser = new FormClient(site.Web.Url);
        (await browser.SignInAsync("nurse", "fleet")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stolen = browser.SessionCookie.ShouldNotBeNull();

        // Another site's form (no token) cannot sign the person out.
        var forged = await browser.PostAsync("/signout", []);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadAsync(await browser.GetAsync("/cleaning"))).ShouldContain("Signed in as");

        var token = await browser.TokenAsync("/cleaning"); // the sign-out form's own token
        var signedOut = await browser.PostAsync("/signout", [new("__RequestVerificationToken", token)]);
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.ToString().ShouldContain("/signin");

        // A copy of the old cookie no longer works.
        using var thief = new FormClient(site.Web.Url);
        thief.Cookies.Add(site.Web.Url, new Cookie("fleet-session", stolen));
        var replay = await thief.GetAsync("/cleaning");
        replay.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        replay.Headers.Location!.ToString().ShouldContain("/signin");
    }

    [Fact]
    public async Task TheSessionCookieHoldsNoApiToken()
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        // A key to the server's record of the session, not the encrypted token and roles (those are kilobytes).
        browser.SessionCookie!.Length.ShouldBeLessThan(400);
    }

    [Fact]
    public async Task ThePageFormWithCredentialsSignsNobodyInWithoutAValidAntiforgeryToken()
    {
        using var victim = new FormClient(site.Web.Url);
        await victim.SignInAsync("nurse", "fleet");
        var before = victim.SessionCookie;

        // Another site posts the resume-after-sign-in fields with an attacker's credentials into the victim's browser.
        var forged = await victim.PostAsync("/cleaning", [
            new("_handler", "dirty"), new("fleet-signin-username", "admin"), new("fleet-signin-password", "fleet"), new("reason", "x")]);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.Headers.TryGetValues("Set-Cookie", out var set).ShouldBeFalse(string.Join("; ", set ?? []));
        victim.SessionCookie.ShouldBe(before);
        var page = await ReadAsync(await victim.GetAsync("/cleaning"));
        page.ShouldContain("Signed in as <strong>nurse</strong>");
    }

    [Fact]
    public async Task ANulInAFormFieldGetsAPlain400Page()
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        var token = await browser.TokenAsync("/cleaning/HS-0001");
        var r = await browser.PostAsync("/cleaning/HS-0001", [new("_handler", "dirty"), new("__RequestVerificationToken", token), new("reason", "spi\0ll")]);
        await ShouldBePlainPageAsync(r, HttpStatusCode.BadRequest);
        var signIn = await browser.PostAsync("/signin", [new("_handler", "signin"), new("__RequestVerificationToken", await browser.TokenAsync("/signin")),
            new("fleet-signin-username", "nu\0rse"), new("fleet-signin-password", "fleet")]);
        await ShouldBePlainPageAsync(signIn, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MoreThan1024FormFieldsGetAPlain400Page()
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        var token = await browser.TokenAsync("/cleaning/HS-0001");
        var fields = Enumerable.Range(0, 2000).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))
            .Prepend(new("__RequestVerificationToken", token)).Prepend(new("_handler", "dirty"));
        await ShouldBePlainPageAsync(await browser.PostAsync("/cleaning/HS-0001", fields), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AFiftyMegabyteFormGetsAPlain413Page()
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        var body = new ByteArrayContent(Encoding.ASCII.GetBytes("reason=" + new string('a', 50 * 1024 * 1024)));
        body.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cleaning/HS-0001") { Content = body };
        request.Headers.ExpectContinue = true; // the answer comes before the body is sent, as a browser reads it
        await ShouldBePlainPageAsync(await browser.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AFiftyMegabyteFormOfUndeclaredLengthIsCutOffWithAPlainPage()
    {
        // Chunked: the size shows only while reading. Raw HTTP, because the server answers and closes mid-upload.
        var (status, page) = await RawPost.SendChunkedAsync(site.Web.Url, "/signin", 50 * 1024 * 1024);
        status.ShouldBeOneOf(400, 413);
        page.ShouldContain("<h1>");
        page.ShouldNotContain("Exception");
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/no-such-page")]
    [InlineData("/cleaning")]
    public async Task EveryAnswerCarriesTheSecurityHeaders(string path)
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        ShouldHaveSecurityHeaders(await browser.GetAsync(path));
        ShouldHaveSecurityHeaders(await browser.PostAsync("/signout", []));
    }

    [Fact]
    public async Task SignedInPagesAreNotStored()
    {
        using var browser = new FormClient(site.Web.Url);
        await browser.SignInAsync("nurse", "fleet");
        (await browser.GetAsync("/cleaning")).Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task TwoHundredFailedSignInsForOneNameFromOnePlaceDoNotStopAnotherUserSigningInThroughTheWebApp()
    {
        // A user of its own, so the lock-out this test causes touches no other test.
        using (var admin = await site.ApiAsAsync("admin"))
            (await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest("victim", "victim-password-1", ["nurse"]), FleetJson.Options)).EnsureSuccessStatusCode();

        using var attacker = new FormClient(site.Web.Url, localAddress: "127.0.0.2");
        var token = await attacker.TokenAsync("/signin");
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            var r = await attacker.PostAsync("/signin", [new("_handler", "signin"), new("__RequestVerificationToken", token),
                new("fleet-signin-username", "victim"), new("fleet-signin-password", $"guess-{i}")]);
            var html = await r.Content.ReadAsStringAsync();
            r.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            if (html.Contains("Too many failed sign-ins", StringComparison.Ordinal)) refused++;
        }
        refused.ShouldBeGreaterThanOrEqualTo(190, "the API throttled the guesses after the first few");

        // The victim's right password from the same place is refused too while the limit holds...
        using (var sameRoom = new FormClient(site.Web.Url, localAddress: "127.0.0.2"))
            (await ReadAsync(await sameRoom.SignInAsync("victim", "victim-password-1"))).ShouldContain("Too many failed sign-ins");
        // ...but another user elsewhere signs in through the web app as usual.
        using var colleague = new FormClient(site.Web.Url, localAddress: "127.0.0.3");
        var ok = await colleague.SignInAsync("scheduler", "fleet");
        ok.StatusCode.ShouldBe(HttpStatusCode.Redirect, await ok.Content.ReadAsStringAsync());
        colleague.SessionCookie.ShouldNotBeNull();

        // The API says how long to wait.
        using var api = new HttpClient { BaseAddress = site.Api.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = JsonContent.Create(new TokenRequest("victim", "victim-password-1")) };
        request.Headers.Add("X-Forwarded-For", "127.0.0.2");
        var answer = await api.SendAsync(request);
        answer.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        answer.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThan(0);
    }

    internal static void ShouldHaveSecurityHeaders(HttpResponseMessage r)
    {
        var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        r.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        r.Headers.GetValues("Referrer-Policy").ShouldBe(["same-origin"]);
        r.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
    }

    internal static async Task ShouldBePlainPageAsync(HttpResponseMessage r, HttpStatusCode status)
    {
        var html = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(status, html);
        r.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldNotContain("Exception");
        html.ShouldNotContain("   at ");
        html.ShouldContain("<h1>");
    }

    private static Task<string> ReadAsync(HttpResponseMessage r) => r.Content.ReadAsStringAsync();
}
