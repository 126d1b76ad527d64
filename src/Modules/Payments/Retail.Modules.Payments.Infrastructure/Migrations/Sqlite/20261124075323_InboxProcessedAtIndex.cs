using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Payments.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxProcessedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_payments_InboxMessages_ProcessedAt",
                table: "payments_InboxMessages",
                column: "ProcessedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payments_InboxMessages_ProcessedAt",
                table: "payments_InboxMessages");
        }
    }
}
