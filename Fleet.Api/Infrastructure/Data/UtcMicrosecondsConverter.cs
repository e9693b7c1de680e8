using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>DateTimeOffset as PostgreSQL's timestamptz keeps it: UTC, whole microseconds.</summary>
public sealed class UtcMicrosecondsConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => Round(v), v => v)
{
    public static DateTimeOffset Round(DateTimeOffset v) => new(v.UtcTicks - v.UtcTicks % 10, TimeSpan.Zero);
}
