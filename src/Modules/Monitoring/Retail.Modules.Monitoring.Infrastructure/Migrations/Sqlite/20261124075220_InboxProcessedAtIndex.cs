using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Monitoring.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxProcessedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_monitoring_InboxMessages_ProcessedAt",
                table: "monitoring_InboxMessages",
                column: "ProcessedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_monitoring_InboxMessages_ProcessedAt",
                table: "monitoring_InboxMessages");
        }
    }
}
