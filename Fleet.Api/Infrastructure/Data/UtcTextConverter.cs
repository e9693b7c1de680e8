using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>DateTimeOffset as <c>2026-11-21T10:15:00.1230000Z</c>: always UTC, always the same width, so text order is time order.</summary>
public sealed class UtcTextConverter() : ValueConverter<DateTimeOffset, string>(v => Format(v), v => Parse(v))
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    public const int Width = 28;

    public static string Format(DateTimeOffset v) => string.Create(Width, v, static (span, value) => Write(value, span));

    /// <summary>
    /// Writes <see cref="Pattern"/> by hand: the ingest path formats two times per event, and the general custom-format
    /// machinery was a measurable share of it. A test checks this against the pattern for many times.
    /// </summary>
    public static void Write(DateTimeOffset value, Span<char> into)
    {
        if (into.Length < Width) throw new ArgumentException($"Needs {Width} characters.", nameof(into));
        var t = value.UtcDateTime;
        Digits(into, 0, t.Year, 4);
        into[4] = '-';
        Digits(into, 5, t.Month, 2);
        into[7] = '-';
        Digits(into, 8, t.Day, 2);
        into[10] = 'T';
        Digits(into, 11, t.Hour, 2);
        into[13] = ':';
        Digits(into, 14, t.Minute, 2);
        into[16] = ':';
        Digits(into, 17, t.Second, 2);
        into[19] = '.';
        Digits(into, 20, (int)(t.Ticks % TimeSpan.TicksPerSecond), 7);
        into[27] = 'Z';
    }

    public static DateTimeOffset Parse(string v) =>
        DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void Digits(Span<char> into, int at, int value, int count)
    {
        for (var i = at + count - 1; i >= at; i--)
        {
            into[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }
}
