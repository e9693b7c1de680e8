using System.Globalization;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Processes;

namespace Fleet.Bench;

/// <summary>
/// What every benchmark runs against: a real Mosquitto with dynamic security and Fleet's queue settings, and the API
/// as separate processes (one, or several sharing the ingestion through the shared subscription) on a fresh database
/// (SQLite, or PostgreSQL; see <see cref="BenchDatabase"/>), with an HTTP client signed in as a biomedical engineer.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    public const string AdminUser = "bench-admin", AdminPassword = "bench-admin-password", ApiPassword = "bench-api-password";

    private readonly TempDirectory _data;

    private BenchStack(MosquittoBroker broker, TempDirectory data, BenchDatabase database, List<ChildProcess> apis, HttpClient http, string baseUrl)
    {
        (Broker, _data, Database, Apis, Http, BaseUrl) = (broker, data, database, apis, http, baseUrl);
    }

    public MosquittoBroker Broker { get; }
    public BenchDatabase Database { get; }

    /// <summary>The API instances; the HTTP clients talk to the first.</summary>
    public List<ChildProcess> Apis { get; }
    public ChildProcess Api => Apis[0];

    /// <summary>The broker accounts the API instances provision for themselves.</summary>
    public IEnumerable<string> ApiUsers => Apis.Count == 1 ? ["fleet-api"] : Enumerable.Range(1, Apis.Count).Select(i => $"fleet-api-{i}");

    /// <summary>CPU seconds used so far by every API instance and the database server.</summary>
    public double CpuSeconds() => Apis.Sum(a => ProcessStats.CpuSeconds(a.Id)) + Database.ServerCpuSeconds();
    public HttpClient Http { get; }
    public string BaseUrl { get; }
    /// <summary>The instances' data directory (on SQLite, where the database file is).</summary>
    public string DataDirectory => Path.Combine(_data.Path, "api");

    public static async Task<BenchStack> StartAsync(IReadOnlyDictionary<string, string>? apiSettings = null, string database = "sqlite", int instances = 1)
    {
        var broker = await MosquittoBroker.StartNewAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false, DynamicSecurityAdmin = (AdminUser, AdminPassword),
            ExtraConfig = ["max_inflight_messages 10000", "max_queued_messages 0", "max_queued_bytes 0"],
        });
        var data = new TempDirectory();
        var db = await BenchDatabase.StartAsync(database);
        var apis = new List<ChildProcess>();
        string? firstUrl = null;
        for (var i = 1; i <= instances; i++)
        {
            var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = baseUrl, ["Fleet__DataDirectory"] = Path.Combine(data.Path, "api"),
                ["Fleet__Mqtt__Host"] = broker.Host, ["Fleet__Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Fleet__Mqtt__Password"] = ApiPassword, ["Fleet__Mqtt__AdminUsername"] = AdminUser, ["Fleet__Mqtt__AdminPassword"] = AdminPassword,
                ["Fleet__Mqtt__ClientId"] = $"fleet-api-bench-{i}",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            // Several instances split the events through the shared subscription; one keeps the plain one (see README).
            // Each instance has a broker account of its own (the API provisions it and binds it to the client id).
            if (instances > 1)
            {
                environment["Fleet__Mqtt__SharedSubscription"] = "true";
                environment["Fleet__Mqtt__Username"] = $"fleet-api-{i}";
            }
            foreach (var (key, value) in db.ApiSettings(Path.Combine(data.Path, "api"))) environment[key] = value;
            foreach (var (key, value) in apiSettings ?? new Dictionary<string, string>()) environment[key] = value;
            var api = ChildProcess.StartDotnet($"Fleet.Api-{i}", RepositoryPaths.Program("Fleet.Api"), environment);
            apis.Add(api);
            // One at a time: the first creates the schema.
            await api.WaitForHttpOkAsync(baseUrl + "/health/ready");
            firstUrl ??= baseUrl;
        }
        var http = new HttpClient { BaseAddress = new Uri(firstUrl!), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(http, "biomed"));
        return new BenchStack(broker, data, db, apis, http, firstUrl!);
    }

    /// <summary>A client of its own signed in as <paramref name="user"/> (development password).</summary>
    public async Task<HttpClient> ClientAsync(string user)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(client, user));
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient http, string user)
    {
        var r = await http.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest(user, "fleet"));
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!.AccessToken;
    }

    /// <summary>The seeded 12 headsets and as many more as needed (in <paramref name="ward"/>), each with its own broker credentials.</summary>
    public async Task<List<Publisher>> EnrollAsync(int count, int first = 1, string ward = "burns")
    {
        var result = new List<Publisher>();
        for (var i = first; i < first + count; i++)
        {
            var id = $"HS-{i:0000}";
            if (i > 12)
            {
                var created = await Http.PostAsJsonAsync("/api/v1/headsets", new RegisterHeadsetRequest($"SN-BENCH-{i}", $"VR-BENCH-{i}", "pico-4e", ward), FleetJson.Options);
                created.EnsureSuccessStatusCode();
                id = (await created.Content.ReadFromJsonAsync<IdResponse>(FleetJson.Options))!.Id;
            }
            var e = await (await Http.PostAsync($"/api/v1/headsets/{id}/enroll", null)).Content.ReadFromJsonAsync<EnrollmentView>(FleetJson.Options);
            result.Add(new Publisher(id, e!.Username, e.Password, $"fleet/v1/headsets/{id}/events", e.ClientId));
        }
        return result;
    }

    public async Task<IngestStats> StatsAsync() => (await Http.GetFromJsonAsync<IngestStats>("/api/v1/ingest/stats", FleetJson.Options))!;

    public async Task WaitForStoredAsync(long atLeast)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while ((await StatsAsync()).Stored < atLeast && DateTime.UtcNow < deadline) await Task.Delay(200);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var api in Apis) await api.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
        _data.Dispose();
    }
}
