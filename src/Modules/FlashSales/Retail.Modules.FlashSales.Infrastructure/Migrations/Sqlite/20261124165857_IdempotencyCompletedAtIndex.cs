using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.FlashSales.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyCompletedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_flashsales_IdempotencyRecords_CompletedAt",
                table: "flashsales_IdempotencyRecords",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_flashsales_IdempotencyRecords_CompletedAt",
                table: "flashsales_IdempotencyRecords");
        }
    }
}
