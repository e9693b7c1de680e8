using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>MQTT ingestion: stored events (the dedupe key), dead letters, seq tracking, counters; headset commands.</summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122015000_Ingestion")]
public sealed class Ingestion : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "dead_letters" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_dead_letters" PRIMARY KEY AUTOINCREMENT,
                "At" TEXT NOT NULL,
                "Topic" TEXT NOT NULL,
                "HeadsetId" TEXT NULL,
                "Reason" TEXT NOT NULL,
                "Detail" TEXT NOT NULL,
                "Payload" BLOB NOT NULL,
                "PayloadBytes" INTEGER NOT NULL
            );
            CREATE TABLE "ingest_counters" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_ingest_counters" PRIMARY KEY,
                "Received" INTEGER NOT NULL,
                "Stored" INTEGER NOT NULL,
                "Duplicates" INTEGER NOT NULL,
                "DeadLettered" INTEGER NOT NULL
            );
            CREATE TABLE "ingest_headset_stats" (
                "HeadsetId" TEXT NOT NULL CONSTRAINT "PK_ingest_headset_stats" PRIMARY KEY,
                "LastSeq" INTEGER NOT NULL,
                "Stored" INTEGER NOT NULL,
                "Ranges" TEXT NOT NULL
            );
            CREATE TABLE "ingested_events" (
                "HeadsetId" TEXT NOT NULL,
                "EventId" TEXT NOT NULL,
                "Seq" INTEGER NOT NULL,
                "Type" TEXT NOT NULL,
                "At" TEXT NOT NULL,
                "StoredAt" TEXT NOT NULL,
                "Data" TEXT NOT NULL,
                CONSTRAINT "PK_ingested_events" PRIMARY KEY ("HeadsetId", "EventId")
            );
            CREATE TABLE "headset_commands" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_headset_commands" PRIMARY KEY,
                "HeadsetId" TEXT NOT NULL,
                "Command" TEXT NOT NULL,
                "IssuedBy" TEXT NOT NULL,
                "IssuedAt" TEXT NOT NULL,
                "ExpiresAt" TEXT NOT NULL,
                "PublishedAt" TEXT NULL,
                "ResultOk" INTEGER NULL,
                "ResultDetail" TEXT NULL,
                "ResultAt" TEXT NULL,
                CONSTRAINT "FK_headset_commands_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );
            CREATE INDEX "IX_dead_letters_At" ON "dead_letters" ("At");
            CREATE INDEX "IX_headset_commands_HeadsetId_IssuedAt" ON "headset_commands" ("HeadsetId", "IssuedAt");
            CREATE INDEX "IX_headset_commands_PublishedAt" ON "headset_commands" ("PublishedAt");
            CREATE INDEX "IX_ingested_events_StoredAt" ON "ingested_events" ("StoredAt");
            """);
    }
}
