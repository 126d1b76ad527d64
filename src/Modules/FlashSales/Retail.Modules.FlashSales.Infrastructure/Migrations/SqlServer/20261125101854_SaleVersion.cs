using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.FlashSales.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SaleVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                schema: "flashsales",
                table: "Sales",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                schema: "flashsales",
                table: "Sales");
        }
    }
}
