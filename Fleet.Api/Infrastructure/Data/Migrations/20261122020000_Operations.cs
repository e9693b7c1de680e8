using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>Scheduled tasks, alerts, the nightly lifetime forecast and the run times of calendar jobs.</summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122020000_Operations")]
public sealed class Operations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "tasks" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_tasks" PRIMARY KEY,
                "Kind" TEXT NOT NULL,
                "HeadsetId" TEXT NULL,
                "WardId" TEXT NOT NULL,
                "Day" TEXT NULL,
                "DueAt" TEXT NOT NULL,
                "OverdueAt" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "Message" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "ClosedAt" TEXT NULL,
                "ClosedBy" TEXT NULL,
                "CloseReason" TEXT NULL,
                CONSTRAINT "FK_tasks_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_tasks_wards_WardId" FOREIGN KEY ("WardId") REFERENCES "wards" ("Id") ON DELETE RESTRICT
            );
            CREATE INDEX "IX_tasks_ClosedAt" ON "tasks" ("ClosedAt");
            CREATE UNIQUE INDEX "IX_tasks_HeadsetId_Kind" ON "tasks" ("HeadsetId", "Kind") WHERE "ClosedAt" IS NULL;
            CREATE UNIQUE INDEX "IX_tasks_WardId_Day_Kind" ON "tasks" ("WardId", "Day", "Kind");

            CREATE TABLE "alerts" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_alerts" PRIMARY KEY,
                "Kind" TEXT NOT NULL,
                "HeadsetId" TEXT NOT NULL,
                "Severity" TEXT NOT NULL,
                "Message" TEXT NOT NULL,
                "OpenedAt" TEXT NOT NULL,
                "ClosedAt" TEXT NULL,
                "ClosedBy" TEXT NULL,
                "CloseReason" TEXT NULL,
                CONSTRAINT "FK_alerts_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );
            CREATE INDEX "IX_alerts_ClosedAt" ON "alerts" ("ClosedAt");
            CREATE UNIQUE INDEX "IX_alerts_HeadsetId_Kind" ON "alerts" ("HeadsetId", "Kind") WHERE "ClosedAt" IS NULL;

            CREATE TABLE "lifetime_forecasts" (
                "HeadsetId" TEXT NOT NULL,
                "Dimension" TEXT NOT NULL,
                "Used" REAL NOT NULL,
                "Rated" REAL NOT NULL,
                "UsedPerDay" REAL NOT NULL,
                "ReachesFullAt" TEXT NULL,
                "ComputedAt" TEXT NOT NULL,
                CONSTRAINT "PK_lifetime_forecasts" PRIMARY KEY ("HeadsetId", "Dimension"),
                CONSTRAINT "FK_lifetime_forecasts_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );

            CREATE TABLE "job_runs" (
                "Name" TEXT NOT NULL CONSTRAINT "PK_job_runs" PRIMARY KEY,
                "LastRunAt" TEXT NOT NULL
            );
            """);
    }
}
