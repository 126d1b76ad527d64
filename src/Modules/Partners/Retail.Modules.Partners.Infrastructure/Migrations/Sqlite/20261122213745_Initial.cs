using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Partners.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partners_ApiKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Environment = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_AuthAudit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    KeyPrefix = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SourceIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_AuthAudit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_CallbackAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeliveryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_CallbackAttempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_FeedJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsRead = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsCommitted = table.Column<int>(type: "INTEGER", nullable: false),
                    Created = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Rejected = table.Column<int>(type: "INTEGER", nullable: false),
                    Deactivated = table.Column<int>(type: "INTEGER", nullable: false),
                    PendingDeactivations = table.Column<int>(type: "INTEGER", nullable: false),
                    Percent = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_FeedJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_FeedRowErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_FeedRowErrors", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_FeedSchedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    IsPaused = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRunAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastJobId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_FeedSchedules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_IdempotencyRecords",
                columns: table => new
                {
                    Caller = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResponseStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_IdempotencyRecords", x => new { x.Caller, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "partners_InboxMessages",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Handler = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_InboxMessages", x => new { x.EventId, x.Handler });
                });

            migrationBuilder.CreateTable(
                name: "partners_OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DeadLetteredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_Partners",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContactEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CallbackUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StrictMode = table.Column<bool>(type: "INTEGER", nullable: false),
                    WebhookSecret = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_Partners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners_PartnerUsers",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_PartnerUsers", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "partners_SkuSequences",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_SkuSequences", x => new { x.PartnerId, x.Sku });
                });

            migrationBuilder.CreateTable(
                name: "partners_WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeliveryId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    BodyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StockAfter = table.Column<int>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners_WebhookDeliveries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_partners_ApiKeys_PartnerId",
                table: "partners_ApiKeys",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_partners_ApiKeys_Prefix",
                table: "partners_ApiKeys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_AuthAudit_PartnerId_Id",
                table: "partners_AuthAudit",
                columns: new[] { "PartnerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_CallbackAttempts_DeliveryId",
                table: "partners_CallbackAttempts",
                column: "DeliveryId");

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedJobs_PartnerId_ContentHash",
                table: "partners_FeedJobs",
                columns: new[] { "PartnerId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedJobs_PartnerId_CreatedAt",
                table: "partners_FeedJobs",
                columns: new[] { "PartnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedJobs_PartnerId_IdempotencyKey",
                table: "partners_FeedJobs",
                columns: new[] { "PartnerId", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedJobs_Status",
                table: "partners_FeedJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedRowErrors_JobId_Line",
                table: "partners_FeedRowErrors",
                columns: new[] { "JobId", "Line" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_FeedSchedules_PartnerId",
                table: "partners_FeedSchedules",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_partners_OutboxMessages_ProcessedAt_OccurredAt",
                table: "partners_OutboxMessages",
                columns: new[] { "ProcessedAt", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_Partners_Name",
                table: "partners_Partners",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_PartnerUsers_PartnerId",
                table: "partners_PartnerUsers",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_partners_WebhookDeliveries_PartnerId_DeliveryId",
                table: "partners_WebhookDeliveries",
                columns: new[] { "PartnerId", "DeliveryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_WebhookDeliveries_PartnerId_ReceivedAt",
                table: "partners_WebhookDeliveries",
                columns: new[] { "PartnerId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_WebhookDeliveries_Status",
                table: "partners_WebhookDeliveries",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partners_ApiKeys");

            migrationBuilder.DropTable(
                name: "partners_AuthAudit");

            migrationBuilder.DropTable(
                name: "partners_CallbackAttempts");

            migrationBuilder.DropTable(
                name: "partners_FeedJobs");

            migrationBuilder.DropTable(
                name: "partners_FeedRowErrors");

            migrationBuilder.DropTable(
                name: "partners_FeedSchedules");

            migrationBuilder.DropTable(
                name: "partners_IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "partners_InboxMessages");

            migrationBuilder.DropTable(
                name: "partners_OutboxMessages");

            migrationBuilder.DropTable(
                name: "partners_Partners");

            migrationBuilder.DropTable(
                name: "partners_PartnerUsers");

            migrationBuilder.DropTable(
                name: "partners_SkuSequences");

            migrationBuilder.DropTable(
                name: "partners_WebhookDeliveries");
        }
    }
}
