using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Api.Infrastructure.Data;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Broker;
using Fleet.Testing.Processes;

namespace Fleet.Api.Tests.Support;

/// <summary>
/// Two API processes on one PostgreSQL database (and, for ingestion, one broker with a shared subscription): each with
/// its own port, data directory, broker account and client id, as two instances behind a load balancer would be.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    private readonly TempDirectory _database = new();
    private readonly TempDirectory _a = new(), _b = new();
    private readonly Dictionary<string, string> _shared;

    private TwoInstances(Dictionary<string, string> shared) => _shared = shared;

    public Instance A { get; private set; } = null!;
    public string ConnectionString => _shared["Fleet__Database__ConnectionString"];
    public Instance B { get; private set; } = null!;

    public static async Task<TwoInstances> StartAsync(MosquittoBroker? broker = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new TwoInstances(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Fleet__Database__Provider"] = nameof(DatabaseProvider.Postgres),
            ["Fleet__Jobs__Enabled"] = "false",
            ["Fleet__Auth__LoginsPerMinute"] = "100000",
            ["Fleet__Mqtt__Enabled"] = broker is null ? "false" : "true",
        });
        cluster._shared["Fleet__Database__ConnectionString"] = TestDatabase.ForDirectory(cluster._database.Path);
        if (broker is not null)
        {
            cluster._shared["Fleet__Mqtt__Host"] = broker.Host;
            cluster._shared["Fleet__Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture);
            cluster._shared["Fleet__Mqtt__Password"] = BrokerApp.ApiPassword;
            cluster._shared["Fleet__Mqtt__AdminUsername"] = BrokerApp.AdminUser;
            cluster._shared["Fleet__Mqtt__AdminPassword"] = BrokerApp.AdminPassword;
            cluster._shared["Fleet__Mqtt__SharedSubscription"] = "true";
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) cluster._shared[k] = v;
        // Both at once: the migrations and the seed must cope with a second instance starting beside the first.
        var a = Instance.Start("a", cluster._a.Path, cluster._shared);
        var b = Instance.Start("b", cluster._b.Path, cluster._shared);
        await Task.WhenAll(a.WaitUntilReadyAsync(), b.WaitUntilReadyAsync());
        (cluster.A, cluster.B) = (a, b);
        return cluster;
    }

    /// <summary>Starts instance A again after it was killed, on the same settings.</summary>
    public async Task RestartAAsync()
    {
        A = Instance.Start("a", _a.Path, _shared, A.Port);
        await A.WaitUntilReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        TestDatabase.Drop(_database.Path);
        _database.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    public sealed class Instance : IAsyncDisposable
    {
        private readonly Dictionary<string, string> _tokens = [];

        private Instance(ChildProcess process, int port) => (Process, Port) = (process, port);

        public ChildProcess Process { get; }
        public int Port { get; }
        public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

        public static Instance Start(string name, string dataDirectory, IReadOnlyDictionary<string, string> shared, int? port = null)
        {
            var p = port ?? FreePort.Next();
            var env = new Dictionary<string, string>(shared)
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{p}",
                ["Fleet__DataDirectory"] = dataDirectory,
                // One broker account and client id per instance (accounts are bound to their client id).
                ["Fleet__Mqtt__Username"] = $"fleet-api-{name}",
                ["Fleet__Mqtt__ClientId"] = $"fleet-api-test-{name}",
            };
            return new(ChildProcess.StartDotnet($"Fleet.Api ({name})", RepositoryPaths.Program("Fleet.Api"), env), p);
        }

        public Task WaitUntilReadyAsync() => Process.WaitForHttpOkAsync(BaseUrl + "health/ready", TimeSpan.FromSeconds(90));

        public async Task<HttpClient> ClientAs(string user) => WithToken(await TokenAsync(user));

        /// <summary>A token this instance issued (one per user, kept).</summary>
        public async Task<string> TokenAsync(string user)
        {
            if (!_tokens.TryGetValue(user, out var token))
            {
                using var client = new HttpClient { BaseAddress = BaseUrl };
                var r = await client.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest(user, "fleet"));
                r.EnsureSuccessStatusCode();
                _tokens[user] = token = (await r.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!.AccessToken;
            }
            return token;
        }

        /// <summary>A client of this instance carrying the given token, whichever instance issued it.</summary>
        public HttpClient WithToken(string token)
        {
            var client = new HttpClient { BaseAddress = BaseUrl };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
