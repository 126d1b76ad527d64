using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Identity.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxProcessedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_identity_InboxMessages_ProcessedAt",
                table: "identity_InboxMessages",
                column: "ProcessedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_identity_InboxMessages_ProcessedAt",
                table: "identity_InboxMessages");
        }
    }
}
