using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Ordering.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyCompletedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ordering_IdempotencyRecords_CompletedAt",
                table: "ordering_IdempotencyRecords",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ordering_IdempotencyRecords_CompletedAt",
                table: "ordering_IdempotencyRecords");
        }
    }
}
