using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>DateTimeOffset as <c>2026-11-21T10:15:00.1230000Z</c>: always UTC, always the same width, so text order is time order.</summary>
public sealed class UtcTextConverter() : ValueConverter<DateTimeOffset, string>(v => Format(v), v => Parse(v))
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    public const int Width = 28;

    public static string Format(DateTimeOffset v) => v.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string v) =>
        DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
