using Fleet.Api.Infrastructure.Problems;

namespace Fleet.Api.Clinical;

/// <summary>The period of a trace or report: <c>to</c> defaults to now and <c>from</c> to 30 days before it.</summary>
public static class ReadPeriod
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);

    public static (DateTimeOffset From, DateTimeOffset To) Resolve(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, Validator v)
    {
        var end = to ?? now;
        var start = from ?? end - Default;
        if (start >= end) v.Add("from", "must be before to.");
        return (start, end);
    }
}
