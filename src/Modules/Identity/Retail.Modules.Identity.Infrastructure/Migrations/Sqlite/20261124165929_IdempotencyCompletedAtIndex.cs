using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Identity.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyCompletedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_identity_IdempotencyRecords_CompletedAt",
                table: "identity_IdempotencyRecords",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_identity_IdempotencyRecords_CompletedAt",
                table: "identity_IdempotencyRecords");
        }
    }
}
