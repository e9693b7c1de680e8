using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Contracts;

/// <summary>
/// What a time on the wire must look like: ISO 8601 with an explicit offset (<c>Z</c> or <c>+01:00</c>), never a bare
/// local time whose meaning depends on the server's time zone, and not before 2000 (nothing Fleet records is older;
/// such a value is a typo or a zeroed clock).
/// </summary>
public static partial class WireTime
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The words that follow a field's name when its value is refused.</summary>
    public const string Expected = "must be a date and time with an explicit offset, such as 2026-11-21T10:15:00Z, in 2000 or later.";

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length > 40 || !Iso8601WithOffset().IsMatch(text)) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed < Earliest) return false;
        value = parsed.ToUniversalTime();
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601WithOffset();
}
