using System.Runtime.InteropServices;
using Fleet.Agent.Core;
using Fleet.Agent.Run;
using Fleet.Agent.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

const string usage = """
    Fleet.Agent run [--Agent:Key=value ...]     one headset agent; configuration from appsettings.json, Agent__* variables, the command line
    Fleet.Agent simulate [options]              a virtual fleet (Fleet.Agent simulate --help)
    """;

var command = args.Length == 0 ? "run" : args[0];
var rest = args.Length == 0 ? [] : args[1..];
switch (command)
{
    case "run":
        // appsettings.json beside the program, wherever it is started from; relative data paths stay relative to the working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = rest, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; });
        builder.Services.Configure<AgentOptions>(builder.Configuration.GetSection(AgentOptions.Section));
        builder.Services.Configure<RunOptions>(builder.Configuration.GetSection(AgentOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<AgentWorker>();
        await builder.Build().RunAsync();
        return 0;

    case "simulate":
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            Console.WriteLine(SimulationOptions.Usage);
            return 0;
        }
        SimulationOptions options;
        try
        {
            options = SimulationOptions.Parse(rest);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"simulate: {e.Message}{Environment.NewLine}{SimulationOptions.Usage}");
            return 2;
        }
        using (var loggers = LoggerFactory.Create(l => l
            .AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("Fleet.Agent", options.EffectiveLogLevel)
            .SetMinimumLevel(LogLevel.Information)))
        using (var stop = new CancellationTokenSource())
        {
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await new FleetSimulation(options, loggers, TimeProvider.System).RunAsync(stop.Token);
        }
        return 0;

    default:
        Console.Error.WriteLine(usage);
        return command is "--help" or "-h" or "help" ? 0 : 2;
}
