using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Simulation;

/// <summary><c>Fleet.Agent simulate</c>'s command line.</summary>
public sealed record SimulationOptions
{
    public const string Usage = """
        Fleet.Agent simulate [options]     runs N virtual headsets in one process, each with its own credentials, outbox and day

          --headsets N          how many (default 12; more than the API has are registered through REST)
          --speed X             simulated time runs X times faster: sessions of 15-45 min, charging, idle gaps (default 30)
                                disinfectant contact times and UV-C cycles stay real: the API measures them with its clock
          --event-interval T    telemetry per headset: heartbeat and battery alternate, one event per T on average (default 10s)
          --api URL             Fleet API (default http://127.0.0.1:5080)
          --broker HOST:PORT    MQTT broker (default 127.0.0.1:1883)
          --tls                 connect to the broker with TLS   --ca FILE  its CA certificate (PEM)
          --data DIR            outboxes live in DIR/<headset>/outbox.db (default ./data/agents)
          --password PW         password of the development users nurse, scheduler, biomed (default fleet)
          --duration T          stop by itself after T (default: run until Ctrl-C)
          --measure-after T     CPU and memory are averaged from T after every headset is connected (default 30s)
          --summary FILE        write the final figures as JSON
          --log-level LEVEL     agent log level (default Information up to 50 headsets, Warning above)
        Times: 500ms, 10s, 5m, 2h.
        """;

    public int Headsets { get; init; } = 12;
    public double Speed { get; init; } = 30;
    public TimeSpan EventInterval { get; init; } = TimeSpan.FromSeconds(10);
    public Uri Api { get; init; } = new("http://127.0.0.1:5080");
    public string BrokerHost { get; init; } = "127.0.0.1";
    public int BrokerPort { get; init; } = 1883;
    public bool UseTls { get; init; }
    public string? CaFile { get; init; }
    public string DataDirectory { get; init; } = Path.Combine("data", "agents");
    public string Password { get; init; } = "fleet";
    public TimeSpan? Duration { get; init; }
    public TimeSpan MeasureAfter { get; init; } = TimeSpan.FromSeconds(30);
    public string? SummaryPath { get; init; }
    public LogLevel? LogLevel { get; init; }

    public LogLevel EffectiveLogLevel => LogLevel ?? (Headsets <= 50 ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.Warning);

    /// <exception cref="ArgumentException">An option is unknown or its value is invalid; the message says which.</exception>
    public static SimulationOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SimulationOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = name switch
            {
                "--headsets" => o with { Headsets = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--speed" => o with { Speed = Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--event-interval" => o with { EventInterval = PositiveDuration(name, Value()) },
                "--api" => o with { Api = new Uri(Value()) },
                "--broker" => WithBroker(o, Value()),
                "--tls" => o with { UseTls = true },
                "--ca" => o with { CaFile = Value() },
                "--data" => o with { DataDirectory = Value() },
                "--password" => o with { Password = Value() },
                "--duration" => o with { Duration = PositiveDuration(name, Value()) },
                "--measure-after" => o with { MeasureAfter = PositiveDuration(name, Value()) },
                "--summary" => o with { SummaryPath = Value() },
                "--log-level" => o with { LogLevel = Enum.Parse<LogLevel>(Value(), ignoreCase: true) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        return o;
    }

    /// <summary>500ms, 10s, 5m, 2h (or a TimeSpan such as 00:00:10).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var units = new (string Suffix, Func<double, TimeSpan> Make)[]
        {
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours),
        };
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return make(n);
        }
        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }

    private static TimeSpan PositiveDuration(string name, string text)
    {
        var value = ParseDuration(text);
        return value > TimeSpan.Zero ? value : throw new ArgumentException($"{name} must be positive.");
    }

    private static T Positive<T>(string name, T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive.");

    private static SimulationOptions WithBroker(SimulationOptions o, string value)
    {
        var colon = value.LastIndexOf(':');
        return colon < 0 ? o with { BrokerHost = value }
            : o with { BrokerHost = value[..colon], BrokerPort = int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture) };
    }
}
