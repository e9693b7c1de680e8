using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>The telemetry time series: raw readings and their hourly aggregates.</summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122010000_Telemetry")]
public sealed class Telemetry : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "telemetry_samples" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_telemetry_samples" PRIMARY KEY AUTOINCREMENT,
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
                CONSTRAINT "FK_telemetry_samples_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );
            CREATE INDEX "IX_telemetry_samples_At" ON "telemetry_samples" ("At");
            CREATE INDEX "IX_telemetry_samples_HeadsetId_At" ON "telemetry_samples" ("HeadsetId", "At");

            CREATE TABLE "telemetry_hourly" (
                "HeadsetId" TEXT NOT NULL,
                "Kind" TEXT NOT NULL,
                "HourStart" TEXT NOT NULL,
                "Samples" INTEGER NOT NULL,
                "BatteryPercentAvg" REAL NULL,
                "BatteryPercentMin" INTEGER NULL,
                "TemperatureAvgC" REAL NULL,
                "TemperatureMaxC" REAL NULL,
                "HealthPercentMin" INTEGER NULL,
                "CycleCountMax" INTEGER NULL,
                "StorageFreeMinMb" INTEGER NULL,
                "WifiRssiAvg" REAL NULL,
                CONSTRAINT "PK_telemetry_hourly" PRIMARY KEY ("HeadsetId", "Kind", "HourStart"),
                CONSTRAINT "FK_telemetry_hourly_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );
            """);
    }
}
