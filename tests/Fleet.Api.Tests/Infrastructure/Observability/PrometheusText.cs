using System.Globalization;

namespace Fleet.Api.Tests.Infrastructure.Observability;

/// <summary>Reads values out of a Prometheus text exposition: the sum over the series of one name that carry the given labels.</summary>
internal static class PrometheusText
{
    public static double Sum(string text, string name, params (string Key, string Value)[] labels) =>
        Series(text, name).Where(s => labels.All(l => s.Labels.Contains($"{l.Key}=\"{l.Value}\""))).Sum(s => s.Value);

    public static bool Has(string text, string name) => Series(text, name).Any();

    private static IEnumerable<(string Labels, double Value)> Series(string text, string name) =>
        from line in text.Split('\n')
        where line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)
        let close = line.IndexOf('}', StringComparison.Ordinal)
        let labels = line.StartsWith(name + "{", StringComparison.Ordinal) ? line[(name.Length + 1)..close] : ""
        let rest = (close > 0 ? line[(close + 1)..] : line[name.Length..]).Trim().Split(' ')[0]
        select (labels, double.Parse(rest, CultureInfo.InvariantCulture));
}
