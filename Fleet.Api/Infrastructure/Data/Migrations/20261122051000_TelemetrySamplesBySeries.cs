using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>
/// Keys raw telemetry by series and time (headset, kind, at, event) in the table's own B-tree (WITHOUT ROWID),
/// replacing the rowid plus two indexes: one write per reading instead of three. Existing rows get a made-up event
/// id, which only keeps them apart.
/// </summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122051000_TelemetrySamplesBySeries")]
public sealed class TelemetrySamplesBySeries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "telemetry_samples_new" (
                "EventId" TEXT NOT NULL,
                "HeadsetId" TEXT NOT NULL,
                "Kind" TEXT NOT NULL,
                "At" TEXT NOT NULL,
                "BatteryPercent" INTEGER NULL,
                "Charging" INTEGER NULL,
                "TemperatureC" REAL NULL,
                "HealthPercent" INTEGER NULL,
                "CycleCount" INTEGER NULL,
                "StorageFreeMb" INTEGER NULL,
                "WifiRssi" INTEGER NULL,
                CONSTRAINT "PK_telemetry_samples" PRIMARY KEY ("HeadsetId", "Kind", "At", "EventId"),
                CONSTRAINT "FK_telemetry_samples_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            ) WITHOUT ROWID;
            INSERT INTO "telemetry_samples_new"
                SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12)),
                       "HeadsetId", "Kind", "At", "BatteryPercent", "Charging", "TemperatureC", "HealthPercent", "CycleCount", "StorageFreeMb", "WifiRssi"
                FROM (SELECT hex(randomblob(16)) AS h, * FROM "telemetry_samples");
            DROP TABLE "telemetry_samples";
            ALTER TABLE "telemetry_samples_new" RENAME TO "telemetry_samples";
            """);
    }
}
