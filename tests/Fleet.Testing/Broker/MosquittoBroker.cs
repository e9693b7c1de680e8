using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Fleet.Testing.Broker;

/// <summary>
/// A real Mosquitto process for integration tests: generated config in a temporary directory, loopback ports, captured
/// log. Can be stopped and restarted on the same ports (with persistence, sessions survive a graceful restart).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private const int MaxLogLines = 2_000;
    private const int SigTerm = 15;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private Process? _process;

    /// <summary>Creates a broker; nothing runs until <see cref="StartAsync"/>.</summary>
    public MosquittoBroker(MosquittoBrokerOptions? options = null)
    {
        Options = options ?? new MosquittoBrokerOptions();
        _directory = System.IO.Directory.CreateTempSubdirectory("fleet-mosquitto-").FullName;
        _ownsDirectory = true;
        Port = Options.Port != 0 ? Options.Port : FreePort.Next();
        if (Options.Tls is { } tls)
        {
            TlsPort = tls.Port != 0 ? tls.Port : FreePort.Next();
        }
    }

    /// <summary>The options it was created with.</summary>
    public MosquittoBrokerOptions Options { get; }

    /// <summary>Host to connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Plain MQTT port.</summary>
    public int Port { get; }

    /// <summary>TLS port, or 0 without TLS.</summary>
    public int TlsPort { get; }

    /// <summary>Temporary directory holding config, password file, persistence database.</summary>
    public string Directory => _directory;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running broker's process id (for CPU accounting in benchmarks).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The last lines the broker logged (all log types but debug).</summary>
    public string Log => string.Join(Environment.NewLine, _log);

    /// <summary>Creates and starts a broker.</summary>
    public static async Task<MosquittoBroker> StartNewAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var broker = new MosquittoBroker(options);
        try
        {
            await broker.StartAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the config (first time), starts the process and waits until its ports accept connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The broker is already running.");
        }

        if (!File.Exists(Options.ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Mosquitto is not installed ({Options.ExecutablePath} is missing). Run the repository's install script, " +
                "which installs the Debian packages 'mosquitto' and 'mosquitto-clients'.");
        }

        var configPath = Path.Combine(_directory, "mosquitto.conf");
        if (!File.Exists(configPath))
        {
            await File.WriteAllTextAsync(configPath, await BuildConfigAsync(cancellationToken), cancellationToken);
        }

        var start = new ProcessStartInfo(Options.ExecutablePath)
        {
            ArgumentList = { "-c", configPath },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var ports = TlsPort != 0 ? new[] { Port, TlsPort } : [Port];
        foreach (var port in ports)
        {
            if (!await FreePort.WaitUntilListeningAsync(port, Options.StartTimeout, () => process.HasExited, cancellationToken))
            {
                if (process.HasExited)
                {
                    // Its last lines may still be on their way through the redirected streams; this waits for them.
                    await process.WaitForExitAsync(cancellationToken);
                }

                var exited = process.HasExited ? $"exited with code {process.ExitCode}" : "is running but not listening";
                await KillAsync();
                throw new InvalidOperationException($"Mosquitto {exited} on port {port}. Log:{Environment.NewLine}{Log}");
            }
        }
    }

    /// <summary>Stops gracefully (SIGTERM, which saves the persistence database), killing it if it takes too long.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            _process = null;
            return;
        }

        _ = kill(process.Id, SigTerm);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Runs <c>mosquitto_ctrl dynsec ARGS</c> against this broker as the dynamic-security admin.</summary>
    /// <example><c>await broker.DynamicSecurityAsync("createClient", "carol", "-p", "pw");</c></example>
    public Task DynamicSecurityAsync(params string[] arguments)
    {
        var (user, password) = Options.DynamicSecurityAdmin
            ?? throw new InvalidOperationException("Set MosquittoBrokerOptions.DynamicSecurityAdmin to use dynamic security.");
        return RunAsync("mosquitto_ctrl", ["-h", Host, "-p", $"{Port}", "-u", user, "-P", password, "dynsec", .. arguments], CancellationToken.None);
    }

    /// <summary>Kills the process at once (SIGKILL), like a crash: nothing is saved.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>Graceful stop, then start again on the same ports with the same config.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Kills the process and deletes the temporary directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Leftover temp files are harmless.
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"mosquitto 127.0.0.1:{Port}" + (TlsPort != 0 ? $" (TLS {TlsPort})" : "");

    private async Task<string> BuildConfigAsync(CancellationToken cancellationToken)
    {
        var config = new StringBuilder();
        config.AppendLine("per_listener_settings false");
        config.AppendLine($"allow_anonymous {(Options.AllowAnonymous ? "true" : "false")}");
        if (Options.Users.Count > 0)
        {
            var passwordFile = Path.Combine(_directory, "passwd");
            await File.WriteAllTextAsync(passwordFile, "", cancellationToken);
            foreach (var (user, password) in Options.Users)
            {
                await RunAsync("mosquitto_passwd", ["-b", passwordFile, user, password], cancellationToken);
            }

            config.AppendLine($"password_file {passwordFile}");
        }

        if (Options.DynamicSecurityAdmin is var (adminUser, adminPassword))
        {
            var dynsecFile = Path.Combine(_directory, "dynamic-security.json");
            await RunAsync("mosquitto_ctrl", ["dynsec", "init", dynsecFile, adminUser, adminPassword], cancellationToken);
            config.AppendLine($"plugin {FindPlugin("mosquitto_dynamic_security.so")}");
            config.AppendLine($"plugin_opt_config_file {dynsecFile}");
        }

        if (Options.Persistence)
        {
            var location = Options.PersistenceDirectory ?? _directory;
            System.IO.Directory.CreateDirectory(location);
            config.AppendLine("persistence true");
            config.AppendLine($"persistence_location {location.TrimEnd('/')}/");
        }
        else
        {
            config.AppendLine("persistence false");
        }

        config.AppendLine("log_dest stderr");
        foreach (var type in new[] { "error", "warning", "notice", "information" })
        {
            config.AppendLine($"log_type {type}");
        }

        // Mosquitto drops root privileges to the 'mosquitto' user, which cannot read our private temp directory.
        if (Environment.IsPrivilegedProcess)
        {
            config.AppendLine("user root");
        }

        foreach (var line in Options.ExtraConfig)
        {
            config.AppendLine(line);
        }

        config.AppendLine($"listener {Port} 127.0.0.1");
        if (Options.Tls is { } tls)
        {
            config.AppendLine($"listener {TlsPort} 127.0.0.1");
            config.AppendLine($"cafile {tls.CaFile}");
            config.AppendLine($"certfile {tls.CertificateFile}");
            config.AppendLine($"keyfile {tls.KeyFile}");
            config.AppendLine($"require_certificate {(tls.RequireClientCertificate ? "true" : "false")}");
        }

        return config.ToString();
    }

    private static string FindPlugin(string fileName)
    {
        string[] directories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"];
        return directories.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{fileName} not found; it ships with the Debian 'mosquitto' package.");
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > MaxLogLines && _log.TryDequeue(out _))
        {
        }
    }

    private static async Task RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
