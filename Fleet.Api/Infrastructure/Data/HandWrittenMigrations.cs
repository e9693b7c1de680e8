using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data;

/// <summary>
/// Until December 2026 the SQLite schema was built by seven migrations written by hand. The generated SQLite baseline
/// builds exactly that schema (a test migrates a database file made by that code and compares), so a database that has
/// all seven is adopted in place: its history names the baseline instead, and nothing else is touched.
/// </summary>
internal static class HandWrittenMigrations
{
    public static readonly string[] Ids =
    [
        "20261122000000_Initial", "20261122010000_Telemetry", "20261122015000_Ingestion", "20261122020000_Operations",
        "20261122030000_EhrOutbox", "20261122050000_IngestedEventsWithoutRowid", "20261122051000_TelemetrySamplesBySeries",
    ];

    public static async Task AdoptAsync(FleetDb db, CancellationToken ct)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToHashSet();
        var handWritten = Ids.Where(applied.Contains).ToList();
        if (handWritten.Count == 0) return;
        if (handWritten.Count != Ids.Length)
            throw new InvalidOperationException(
                $"This database has only {handWritten.Count} of the {Ids.Length} hand-written migrations (last: {handWritten[^1]}); " +
                "start it once with a Fleet release from before the generated migrations, then with this one.");
        var baseline = db.Database.GetMigrations().First();
        var history = db.GetService<IHistoryRepository>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var id in Ids) await db.Database.ExecuteSqlRawAsync(history.GetDeleteScript(id), ct);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), ct);
        await tx.CommitAsync(ct);
    }
}
