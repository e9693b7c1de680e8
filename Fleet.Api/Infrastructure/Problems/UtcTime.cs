using Fleet.Contracts;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>
/// A time in a query string (<c>?from=</c>, <c>?to=</c>), bound by the same rule as times in bodies (<see cref="WireTime"/>):
/// an explicit offset and 2000 or later. A value that breaks it fails binding, which answers 400 naming the parameter.
/// </summary>
public readonly record struct UtcTime(DateTimeOffset Value)
{
    public static bool TryParse(string? text, IFormatProvider? provider, out UtcTime result)
    {
        var ok = WireTime.TryParse(text, out var value);
        result = new UtcTime(value);
        return ok;
    }
}
