using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.FlashSales.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SaleVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "flashsales_Sales",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                table: "flashsales_Sales");
        }
    }
}
