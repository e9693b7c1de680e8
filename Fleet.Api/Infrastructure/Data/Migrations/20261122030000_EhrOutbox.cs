using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Api.Infrastructure.Data.Migrations;

/// <summary>The durable outbox of resources to push to the EHR (filled in the same transaction as the change).</summary>
[DbContext(typeof(FleetDb))]
[Migration("20261122030000_EhrOutbox")]
public sealed class EhrOutbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "ehr_outbox" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_ehr_outbox" PRIMARY KEY AUTOINCREMENT,
                "ResourceType" TEXT NOT NULL,
                "ResourceId" TEXT NOT NULL,
                "HeadsetId" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "Status" TEXT NOT NULL,
                "Attempts" INTEGER NOT NULL,
                "LastAttemptAt" TEXT NULL,
                "SentAt" TEXT NULL,
                "LastError" TEXT NULL
            );
            CREATE INDEX "IX_ehr_outbox_Status_Id" ON "ehr_outbox" ("Status", "Id");
            """);
    }
}
