using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Monitoring.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class IdempotencyCompletedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CompletedAt",
                schema: "monitoring",
                table: "IdempotencyRecords",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotencyRecords_CompletedAt",
                schema: "monitoring",
                table: "IdempotencyRecords");
        }
    }
}
