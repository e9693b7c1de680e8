using System.Globalization;
using System.Text;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Ingestion;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The hand-written pieces of the ingest path, checked against the general code they replace.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void StoredTimesAreWrittenExactlyAsTheFormatPatternWrites()
    {
        var random = new Random(7);
        var samples = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2026, 11, 22, 8, 0, 0, TimeSpan.FromHours(5)) };
        for (var i = 0; i < 5000; i++)
            samples.Add(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero));
        foreach (var t in samples)
            UtcTextConverter.Format(t).ShouldBe(t.UtcDateTime.ToString(UtcTextConverter.Pattern, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void RandomBytesNeverBreakTheEventValidator()
    {
        var random = new Random(11);
        var now = DateTimeOffset.Parse("2026-11-22T08:00:00Z", CultureInfo.InvariantCulture);
        var valid = Encoding.UTF8.GetBytes("""{"id":"0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d","headset":"HS-0001","seq":1,"type":"battery","at":"2026-11-22T08:00:00.000Z","data":{"percent":81,"charging":false}}""");
        EventValidator.Validate("HS-0001", valid, now).Event.ShouldNotBeNull();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            // Mutate a valid event a little (the interesting inputs), or make up bytes entirely.
            if (i % 4 == 0) bytes = new byte[random.Next(0, 300)];
            for (var k = random.Next(1, 6); k > 0 && bytes.Length > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var (e, rejection) = EventValidator.Validate("HS-0001", bytes, now);
            (e is null).ShouldBe(rejection is not null);
            e?.Dispose();
        }
    }
}
