using System.Collections.Concurrent;
using Fleet.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Hardening;

/// <summary>Files at rest are the owner's alone; logs never hold a patient reference, even with every category at Information.</summary>
public sealed class DataAtRestTests : IDisposable
{
    private readonly LoggedApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDatabaseItsJournalAndTheKeysAreOwnerOnlyOnSqlite()
    {
        using var app = new FleetApp(provider: Fleet.Api.Infrastructure.Data.DatabaseProvider.Sqlite); // files only SQLite has
        await app.ClientAs("admin"); // starts the API, migrates, issues a token (which creates the key ring)
        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var paths = new[] { app.DataDirectory, app.DatabasePath, app.DatabasePath + "-wal", Path.Combine(app.DataDirectory, "keys") }
            .Concat(Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"))).ToList();
        paths.Count.ShouldBeGreaterThan(4);
        foreach (var path in paths)
            (File.GetUnixFileMode(path) & groupOrOther).ShouldBe((UnixFileMode)0, $"{path} is {File.GetUnixFileMode(path)}");
    }

    [Fact]
    public async Task RequestLogsNameNoPatientReference()
    {
        await _app.CleanAsync("HS-0001");
        await _app.AssignAsync("HS-0001", "MRN-SECRET-4711");
        var audit = await _app.ClientAs("infection");
        (await audit.GetAsync("/api/v1/trace?patientRef=MRN-SECRET-4711")).EnsureSuccessStatusCode();
        (await audit.GetAsync("/api/v1/sessions?patientRef=MRN-SECRET-4711")).EnsureSuccessStatusCode();
        (await audit.GetAsync("/fhir/r4/DeviceUseStatement?patient=MRN-SECRET-4711")).EnsureSuccessStatusCode();

        var log = string.Join('\n', _app.Lines);
        log.ShouldContain("/api/v1/trace"); // requests are logged...
        log.ShouldNotContain("MRN-SECRET-4711"); // ...without the patient
    }

    /// <summary>The API with every log category at Information, each line kept for the test to read.</summary>
    private sealed class LoggedApp : FleetApp
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Logging:LogLevel:Default", "Information");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
            builder.ConfigureServices(s => s.AddLogging(b => b.AddProvider(new Capture(Lines))));
        }
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}
