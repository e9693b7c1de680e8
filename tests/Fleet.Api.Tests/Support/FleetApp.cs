using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Testing;
using Fleet.Testing.Time;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Fleet.Api.Tests.Support;

/// <summary>
/// The real API pipeline over a real database (a SQLite file in a fresh directory, or with FLEET_TEST_DB=postgres a
/// fresh PostgreSQL database: see <see cref="TestDatabase"/>), with a clock the test moves.
/// Development seed data is loaded (2 wards, 3 models, 5 products, 12 Dirty headsets, one user per role).
/// </summary>
public class FleetApp : WebApplicationFactory<Program>
{
    private readonly ConcurrentDictionary<string, TokenResponse> _tokens = new();
    private readonly TempDirectory? _ownedDirectory;
    private readonly Dictionary<string, string?> _settings = [];

    public FleetApp(string? dataDirectory = null, string environment = "Development", ManualTimeProvider? time = null,
        Fleet.Api.Infrastructure.Data.DatabaseProvider? provider = null)
    {
        if (dataDirectory is null) _ownedDirectory = new TempDirectory();
        DataDirectory = dataDirectory ?? _ownedDirectory!.Path;
        Provider = provider ?? TestDatabase.Chosen;
        ConnectionString = Provider == Fleet.Api.Infrastructure.Data.DatabaseProvider.Postgres
            ? TestDatabase.ForDirectory(DataDirectory)
            : $"Data Source={DatabasePath}";
        Environment = environment;
        Time = time ?? new ManualTimeProvider();
        // Quartz fires on its own schedule; tests call the jobs themselves unless they turn the scheduler on.
        _settings["Fleet:Jobs:Enabled"] = "false";
    }

    public ManualTimeProvider Time { get; }
    public string DataDirectory { get; }
    public string Environment { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "fleet.db");
    public Fleet.Api.Infrastructure.Data.DatabaseProvider Provider { get; }
    public bool OnPostgres => Provider == Fleet.Api.Infrastructure.Data.DatabaseProvider.Postgres;
    public string ConnectionString { get; }

    public FleetApp WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Changes to the API's services after its own registrations, for tests that watch how a service is used.</summary>
    public FleetApp WithServices(Action<IServiceCollection> change)
    {
        _services.Add(change);
        return this;
    }

    /// <summary>Every log line the API writes, at every level, for tests that prove something is never logged.</summary>
    public LogCapture? Logs { get; private set; }

    public FleetApp CaptureLogs()
    {
        Logs = new LogCapture();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Fleet:DataDirectory", DataDirectory);
        builder.UseSetting("Fleet:Database:Provider", Provider.ToString());
        builder.UseSetting("Fleet:Database:ConnectionString", ConnectionString);
        builder.UseSetting("Fleet:Auth:LoginsPerMinute", "100000");
        builder.UseSetting("Fleet:Mqtt:Enabled", "false"); // tests that need the broker turn it on with WithSetting
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
        foreach (var change in _services) builder.ConfigureServices(change);
        if (Logs is { } logs)
            builder.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter<LogCapture>(null, LogLevel.Trace));
    }

    /// <summary>A client signed in as one of the development users (password "fleet").</summary>
    public async Task<HttpClient> ClientAs(string user)
    {
        var client = CreateClient();
        // Tests move the clock by days; sign in again once the cached token has expired.
        if (!_tokens.TryGetValue(user, out var token) || token.ExpiresAt <= Time.GetUtcNow())
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest(user, "fleet"));
            response.EnsureSuccessStatusCode();
            token = (await response.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!;
            _tokens[user] = token;
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>A direct connection to the database, for what only a database can show (or tamper with).</summary>
    public System.Data.Common.DbConnection OpenDatabase() => TestDatabase.Open(Provider, ConnectionString);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            if (_ownedDirectory is not null && OnPostgres) TestDatabase.Drop(DataDirectory);
            _ownedDirectory?.Dispose();
        }
    }
}
