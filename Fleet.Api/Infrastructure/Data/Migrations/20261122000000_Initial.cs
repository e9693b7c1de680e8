using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>The first schema: catalogue, headsets, cleanings, sessions, flags, comfort reports, users and the audit chain.</summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "audit_entries" (
                "Seq" INTEGER NOT NULL CONSTRAINT "PK_audit_entries" PRIMARY KEY,
                "At" TEXT NOT NULL,
                "OccurredAt" TEXT NULL,
                "Actor" TEXT NOT NULL,
                "Action" TEXT NOT NULL,
                "EntityType" TEXT NOT NULL,
                "EntityId" TEXT NOT NULL,
                "Reason" TEXT NULL,
                "Data" TEXT NULL,
                "Late" INTEGER NOT NULL,
                "PrevHash" TEXT NOT NULL,
                "Hash" TEXT NOT NULL
            );

            CREATE TABLE "headset_models" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_headset_models" PRIMARY KEY,
                "Manufacturer" TEXT NOT NULL,
                "Name" TEXT NOT NULL,
                "BatteryRuntimeMinutes" INTEGER NOT NULL,
                "BatteryCycleRating" INTEGER NOT NULL,
                "ServiceLifeYears" REAL NOT NULL,
                "FacialInterfaceRating" INTEGER NOT NULL,
                "HousingCleaningRating" INTEGER NOT NULL,
                "AllowedClasses" TEXT NOT NULL
            );

            CREATE TABLE "products" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_products" PRIMARY KEY,
                "Name" TEXT NOT NULL,
                "Class" TEXT NOT NULL,
                "ContactSeconds" INTEGER NOT NULL,
                "DrySeconds" INTEGER NULL,
                "Active" INTEGER NOT NULL
            );

            CREATE TABLE "users" (
                "Username" TEXT NOT NULL CONSTRAINT "PK_users" PRIMARY KEY,
                "PasswordHash" TEXT NOT NULL,
                "Roles" TEXT NOT NULL,
                "Active" INTEGER NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "Stamp" INTEGER NOT NULL
            );

            CREATE TABLE "wards" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_wards" PRIMARY KEY,
                "Name" TEXT NOT NULL,
                "Policy_BatteryMargin" INTEGER NOT NULL,
                "Policy_CleaningDue" INTEGER NOT NULL,
                "Policy_DeepCleanAt" TEXT NOT NULL,
                "Policy_HangTime" INTEGER NOT NULL,
                "Policy_LateEntryWindow" INTEGER NOT NULL,
                "Policy_OfflineAfter" INTEGER NOT NULL,
                "Policy_RequireWipeBeforeUv" INTEGER NOT NULL
            );

            CREATE TABLE "headsets" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_headsets" PRIMARY KEY,
                "Serial" TEXT NOT NULL,
                "AssetTag" TEXT NOT NULL,
                "ModelId" TEXT NOT NULL,
                "WardId" TEXT NOT NULL,
                "RegisteredAt" TEXT NOT NULL,
                "Hygiene" TEXT NOT NULL,
                "HygieneChangedAt" TEXT NOT NULL,
                "CleanedAt" TEXT NULL,
                "DirtySince" TEXT NULL,
                "LastSoiledAt" TEXT NOT NULL,
                "SporicidalRequired" INTEGER NOT NULL,
                "ActiveCleaningId" TEXT NULL,
                "RetiredAt" TEXT NULL,
                "RetiredNote" TEXT NULL,
                "LastInspectionAt" TEXT NULL,
                "FacialInterfaceReplacedAt" TEXT NULL,
                "EnrolledAt" TEXT NULL,
                "Counters_BatteryCycles" INTEGER NOT NULL,
                "Counters_Cleanings" INTEGER NOT NULL,
                "Counters_CleaningsAlcohol" INTEGER NOT NULL,
                "Counters_CleaningsHydrogenPeroxide" INTEGER NOT NULL,
                "Counters_CleaningsHypochlorite" INTEGER NOT NULL,
                "Counters_CleaningsQuaternaryAmmonium" INTEGER NOT NULL,
                "Counters_CleaningsUvc" INTEGER NOT NULL,
                "Counters_FacialInterfaceCleanings" INTEGER NOT NULL,
                "Counters_FacialInterfaceReplacements" INTEGER NOT NULL,
                "Counters_Sessions" INTEGER NOT NULL,
                "Counters_WearSeconds" INTEGER NOT NULL,
                "Telemetry_BatteryAt" TEXT NULL,
                "Telemetry_BatteryCycleCount" INTEGER NULL,
                "Telemetry_BatteryHealthPercent" INTEGER NULL,
                "Telemetry_BatteryPercent" INTEGER NULL,
                "Telemetry_BatteryTemperatureC" REAL NULL,
                "Telemetry_Charging" INTEGER NULL,
                "Telemetry_DeviceInfoAt" TEXT NULL,
                "Telemetry_DeviceModel" TEXT NULL,
                "Telemetry_Firmware" TEXT NULL,
                "Telemetry_LastSeenAt" TEXT NULL,
                "Telemetry_Online" INTEGER NOT NULL,
                "Telemetry_Os" TEXT NULL,
                "Telemetry_StorageFreeMb" INTEGER NULL,
                "Telemetry_WifiRssi" INTEGER NULL,
                CONSTRAINT "FK_headsets_headset_models_ModelId" FOREIGN KEY ("ModelId") REFERENCES "headset_models" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_headsets_wards_WardId" FOREIGN KEY ("WardId") REFERENCES "wards" ("Id") ON DELETE RESTRICT
            );

            CREATE TABLE "cleanings" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_cleanings" PRIMARY KEY,
                "HeadsetId" TEXT NOT NULL,
                "ProductId" TEXT NOT NULL,
                "Method" TEXT NOT NULL,
                "ContactSeconds" INTEGER NOT NULL,
                "Operator" TEXT NOT NULL,
                "CabinetId" TEXT NULL,
                "StartedAt" TEXT NOT NULL,
                "CompletedAt" TEXT NULL,
                "FacialInterfaceReplaced" INTEGER NOT NULL,
                "Note" TEXT NULL,
                "Status" TEXT NOT NULL,
                "InvalidCodes" TEXT NULL,
                "InvalidReason" TEXT NULL,
                "SporicidalRequired" INTEGER NOT NULL,
                "Late" INTEGER NOT NULL,
                "RecordedAt" TEXT NOT NULL,
                "CorrectsId" TEXT NULL,
                CONSTRAINT "FK_cleanings_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_cleanings_products_ProductId" FOREIGN KEY ("ProductId") REFERENCES "products" ("Id") ON DELETE RESTRICT
            );

            CREATE TABLE "flags" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_flags" PRIMARY KEY,
                "HeadsetId" TEXT NOT NULL,
                "Kind" TEXT NOT NULL,
                "Note" TEXT NOT NULL,
                "RaisedBy" TEXT NOT NULL,
                "RaisedAt" TEXT NOT NULL,
                "RaisedByRule" TEXT NULL,
                "ClearedAt" TEXT NULL,
                "ClearedBy" TEXT NULL,
                "ClearNote" TEXT NULL,
                CONSTRAINT "FK_flags_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT
            );

            CREATE TABLE "sessions" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_sessions" PRIMARY KEY,
                "HeadsetId" TEXT NOT NULL,
                "PatientRef" TEXT NOT NULL,
                "WardId" TEXT NOT NULL,
                "SessionMinutes" INTEGER NOT NULL,
                "Precautions" TEXT NOT NULL,
                "StartedAt" TEXT NOT NULL,
                "StartedBy" TEXT NOT NULL,
                "EndedAt" TEXT NULL,
                "EndedBy" TEXT NULL,
                "WearSeconds" INTEGER NULL,
                "App" TEXT NULL,
                "FpsAvg" REAL NULL,
                "DroppedFramePercent" REAL NULL,
                "TrackingLostCount" INTEGER NULL,
                CONSTRAINT "FK_sessions_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_sessions_wards_WardId" FOREIGN KEY ("WardId") REFERENCES "wards" ("Id") ON DELETE RESTRICT
            );

            CREATE TABLE "comfort_reports" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_comfort_reports" PRIMARY KEY,
                "HeadsetId" TEXT NOT NULL,
                "SessionId" TEXT NULL,
                "PatientRef" TEXT NULL,
                "Fms" INTEGER NULL,
                "Note" TEXT NULL,
                "ReportedBy" TEXT NOT NULL,
                "At" TEXT NOT NULL,
                "FlagId" TEXT NULL,
                CONSTRAINT "FK_comfort_reports_flags_FlagId" FOREIGN KEY ("FlagId") REFERENCES "flags" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_comfort_reports_headsets_HeadsetId" FOREIGN KEY ("HeadsetId") REFERENCES "headsets" ("Id") ON DELETE RESTRICT,
                CONSTRAINT "FK_comfort_reports_sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "sessions" ("Id") ON DELETE RESTRICT
            );

            CREATE INDEX "IX_audit_entries_At" ON "audit_entries" ("At");

            CREATE INDEX "IX_audit_entries_EntityId_At" ON "audit_entries" ("EntityId", "At");

            CREATE INDEX "IX_cleanings_HeadsetId_StartedAt" ON "cleanings" ("HeadsetId", "StartedAt");

            CREATE INDEX "IX_cleanings_ProductId" ON "cleanings" ("ProductId");

            CREATE INDEX "IX_comfort_reports_FlagId" ON "comfort_reports" ("FlagId");

            CREATE INDEX "IX_comfort_reports_HeadsetId_At" ON "comfort_reports" ("HeadsetId", "At");

            CREATE INDEX "IX_comfort_reports_SessionId" ON "comfort_reports" ("SessionId");

            CREATE INDEX "IX_flags_HeadsetId_ClearedAt" ON "flags" ("HeadsetId", "ClearedAt");

            CREATE UNIQUE INDEX "IX_headsets_AssetTag" ON "headsets" ("AssetTag");

            CREATE INDEX "IX_headsets_ModelId" ON "headsets" ("ModelId");

            CREATE UNIQUE INDEX "IX_headsets_Serial" ON "headsets" ("Serial");

            CREATE INDEX "IX_headsets_WardId" ON "headsets" ("WardId");

            CREATE INDEX "IX_sessions_HeadsetId_StartedAt" ON "sessions" ("HeadsetId", "StartedAt");

            CREATE INDEX "IX_sessions_PatientRef_StartedAt" ON "sessions" ("PatientRef", "StartedAt");

            CREATE INDEX "IX_sessions_WardId" ON "sessions" ("WardId");

            CREATE UNIQUE INDEX "IX_sessions_one_open_per_headset" ON "sessions" ("HeadsetId") WHERE "EndedAt" IS NULL;
            """);

        // The audit trail is append-only in the database itself, not only by convention in the code.
        migrationBuilder.Sql("""
            CREATE TRIGGER "audit_entries_no_update" BEFORE UPDATE ON "audit_entries"
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            CREATE TRIGGER "audit_entries_no_delete" BEFORE DELETE ON "audit_entries"
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            """);
    }
}
