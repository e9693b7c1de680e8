using System.Globalization;
using Fleet.Bench;

// dotnet Fleet.Bench.dll ingest [--connections 20] [--seconds 60] [--rate 15000] [--rounds 3] [--db sqlite|postgres] [--instances 1] [--full-speed 1|0] [--out results.md]
// dotnet Fleet.Bench.dll gate [--connections 20] [--seconds 20] [--rate 15000] [--concurrency 4] [--nice 10] [--set Fleet:Section:Key=value]... [--out results.md]
// dotnet Fleet.Bench.dll retention [--db sqlite|postgres] [--headsets 50] [--days 3] [--interval 2] [--out results.md]
// dotnet Fleet.Bench.dll publish --host H --port P --seconds S --rate R   (the gate's load generator; accounts on stdin)
if (args.Length == 0 || args[0] is not ("ingest" or "gate" or "retention" or "publish"))
{
    Console.Error.WriteLine("usage: Fleet.Bench ingest [--connections N] [--seconds S] [--rate EVENTS_PER_S] [--rounds R] [--db sqlite|postgres] [--instances N] [--full-speed 1|0] [--out FILE]");
    Console.Error.WriteLine("       Fleet.Bench gate [--connections N] [--seconds S] [--rate EVENTS_PER_S] [--concurrency C] [--nice N] [--set Fleet:Section:Key=value]... [--out FILE]");
    Console.Error.WriteLine("       Fleet.Bench retention [--db sqlite|postgres] [--headsets N] [--days D] [--interval JOB_SECONDS] [--out FILE]");
    return 2;
}
int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var outPath = Text("--out");
if (args[0] == "publish") return await PublisherProcess.MainAsync(Text("--host")!, Arg("--port", 1883), Arg("--seconds", 60), Arg("--rate", 15000));

var text = new StringWriter();
var tee = outPath is null ? Console.Out : new TeeWriter(Console.Out, text);
var exit = args[0] switch
{
    "gate" => await new GateBenchmark(new GateSettings(Arg("--seconds", 20), Arg("--rate", 15000), Arg("--connections", 20), Arg("--concurrency", 4), Arg("--nice", 10), args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList()), tee).RunAsync(),
    "retention" => await new RetentionBenchmark(new RetentionSettings(Text("--db") ?? "sqlite", Arg("--headsets", 50), Arg("--days", 3), Arg("--interval", 2)), tee).RunAsync(),
    _ => await new IngestBenchmark(new IngestSettings(Arg("--connections", 20), Arg("--seconds", 60), Arg("--rate", 15000), Arg("--rounds", 3), Text("--db") ?? "sqlite", Arg("--instances", 1), Arg("--full-speed", 1) != 0), tee).RunAsync(),
};
if (outPath is not null) await File.WriteAllTextAsync(outPath, text.ToString());
return exit;

/// <summary>Writes the report to the console as it is produced and keeps it for the results file.</summary>
internal sealed class TeeWriter(TextWriter a, TextWriter b) : TextWriter
{
    public override System.Text.Encoding Encoding => a.Encoding;
    public override void Write(char value) { a.Write(value); b.Write(value); }
    public override void WriteLine(string? value) { a.WriteLine(value); b.WriteLine(value); }
}
