using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Microsoft.Playwright;

namespace Fleet.Web.Tests.Infrastructure;

/// <summary>
/// The real Fleet.Api and Fleet.Web as child processes on loopback (Development seed, a fresh data directory),
/// and Debian's Chromium driven by Playwright. Built by the solution build; this fixture only starts them.
/// </summary>
public class FleetSite : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>A product made for the tests, so a valid cleaning takes seconds instead of minutes.</summary>
    public const string FastProduct = "test-fast-wipe";
    public const int FastContactSeconds = 3;

    private static readonly string[] ChromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly TempDirectory _data = new();
    private readonly ConcurrentDictionary<string, TokenResponse> _tokens = new(); // set-up steps may run side by side
    private IPlaywright? _playwright;
    private int _wards;

    public ServerProcess Api { get; private set; } = default!;
    public ServerProcess Web { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>API settings for this site, e.g. a short token lifetime.</summary>
    protected virtual IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>();

    /// <summary>Web settings for this site, e.g. the hospital identity provider.</summary>
    protected virtual IReadOnlyDictionary<string, string> WebSettings => new Dictionary<string, string>();

    public static string RepositoryRoot => Fleet.Testing.Processes.RepositoryPaths.Root;

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: run 'bash infra/install.sh test' (it installs Debian's chromium).");
        var apiEnvironment = new Dictionary<string, string>
        {
            ["Fleet__DataDirectory"] = Path.Combine(_data.Path, "api"),
            ["Fleet__Auth__LoginsPerMinute"] = "100000",
            // Most pages need no agents: the browser tests drive everything through the API (FleetSiteWithBroker adds one).
            ["Fleet__Mqtt__Enabled"] = "false",
        };
        foreach (var (key, value) in ApiSettings) apiEnvironment[key] = value;
        Api = ServerProcess.Start("Fleet.Api", apiEnvironment);
        await Api.WaitUntilReadyAsync("/health/ready", TimeSpan.FromSeconds(180));
        var webEnvironment = new Dictionary<string, string> { ["Fleet__ApiBaseUrl"] = Api.Url.ToString() };
        foreach (var (key, value) in WebSettings) webEnvironment[key] = value;
        Web = ServerProcess.Start("Fleet.Web", webEnvironment);
        await Web.WaitUntilReadyAsync("/signin", TimeSpan.FromSeconds(60));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumFlags,
        });
        Assertions.SetDefaultExpectTimeout(15_000);

        await PostAsync<ProductView>("infection", "/api/v1/products",
            new ProductRequest(FastProduct, "Test wipe (fast)", Methods.QuaternaryAmmonium, FastContactSeconds, null, true));
    }

    /// <summary>A fresh browser context (its own cookies) at 1440 px, signed in through the sign-in page.</summary>
    public async Task<IPage> SignedInPageAsync(string user)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync("fleet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Signed in as {user}")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Signed in on a ward tablet held upright: 768 by 1024 px.</summary>
    public async Task<IPage> TabletPageAsync(string user)
    {
        var page = await SignedInPageAsync(user);
        await page.SetViewportSizeAsync(768, 1024);
        return page;
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Web.Url.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>An API client signed in as a development user, for setting up and checking what the pages did.</summary>
    public async Task<HttpClient> ApiAsAsync(string user)
    {
        var client = new HttpClient { BaseAddress = Api.Url };
        if (!_tokens.TryGetValue(user, out var token) || token.ExpiresAt < DateTimeOffset.UtcNow.AddSeconds(5))
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest(user, "fleet"), FleetJson.Options);
            await Ok(response);
            token = (await response.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!;
            _tokens[user] = token;
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>A new ward of its own with <paramref name="count"/> Dirty headsets, so tests never share a headset.</summary>
    public async Task<(string Ward, List<string> Headsets)> NewWardAsync(int count, string model = "pico-4e")
    {
        var n = Interlocked.Increment(ref _wards);
        var ward = $"test-ward-{n}";
        await PostAsync<WardView>("admin", "/api/v1/wards", new WardRequest(ward, $"Test ward {n}"));
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
            ids.Add((await PostAsync<IdResponse>("biomed", "/api/v1/headsets", new RegisterHeadsetRequest($"SN-T{n}-{i}", $"VR-T{n}-{i}", model, ward))).Id);
        return (ward, ids);
    }

    /// <summary>A valid cleaning through the API with the fast product: start, wait out its contact time, complete.</summary>
    public async Task<CleaningStarted> CleanAsync(string headsetId)
    {
        var started = await PostAsync<CleaningStarted>("nurse", $"/api/v1/headsets/{headsetId}/cleanings", new StartCleaningRequest(FastProduct));
        // The contact time is real time on the real API: wait until it has passed.
        var wait = started.EarliestCompletion - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await PostAsync<CleaningView>("nurse", $"/api/v1/cleanings/{started.Id}/complete", new CompleteCleaningRequest(false, null));
        return started;
    }

    public Task RaiseFlagAsync(string headsetId, string kind, string note) =>
        PostAsync<FlagView>("nurse", $"/api/v1/headsets/{headsetId}/flags", new RaiseFlagRequest(kind, note));

    /// <summary>A POST through the API as a development user that must succeed; the answer read as <typeparamref name="T"/>.</summary>
    public async Task<T> PostAsync<T>(string user, string url, object body)
    {
        using var client = await ApiAsAsync(user);
        using var response = await client.PostAsync(url, JsonContent.Create(body, body.GetType(), options: FleetJson.Options));
        await Ok(response);
        return (await response.Content.ReadFromJsonAsync<T>(FleetJson.Options))!;
    }

    public async Task<T> GetAsync<T>(string user, string url)
    {
        using var client = await ApiAsAsync(user);
        using var response = await client.GetAsync(url);
        await Ok(response);
        return (await response.Content.ReadFromJsonAsync<T>(FleetJson.Options))!;
    }

    /// <summary>
    /// The page's own confirmation (its notice). Live pages also carry the live-updates indicator and counts as
    /// statuses of their own, so "any status on the page" would never be the confirmation alone.
    /// </summary>
    public static ILocator Confirmation(IPage page) => page.Locator("main .notice[role='status']");

    /// <summary>Saves the page at 1440 and 768 px wide into docs/screenshots (shown in the README).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        var original = page.ViewportSize ?? new PageViewportSizeResult { Width = 1440, Height = 900 };
        foreach (var (width, height) in new[] { (1440, 900), (768, 1024) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(original.Width, original.Height);
    }

    /// <summary>Runs a browser test; a failure carries both servers' output.</summary>
    public async Task WithLogsAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Shouldly.ShouldAssertException)
        {
            throw new InvalidOperationException($"{e.Message}\n{Logs}", e);
        }
    }

    /// <summary>Both servers' output, for a failure message that says what the servers saw.</summary>
    public string Logs => $"--- {Api.Name} ---\n{Api.Log}\n--- {Web.Name} ---\n{Web.Log}";

    private async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}\n{Logs}");
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Web is not null) await Web.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<FleetSite>
{
    public const string Name = "fleet site";
}
