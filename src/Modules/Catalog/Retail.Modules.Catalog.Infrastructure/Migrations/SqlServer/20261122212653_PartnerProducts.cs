using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Catalog.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PartnerProducts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Brand",
                schema: "catalog",
                table: "Products",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Gtin",
                schema: "catalog",
                table: "Products",
                type: "nvarchar(14)",
                maxLength: 14,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartnerId",
                schema: "catalog",
                table: "Products",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Products_PartnerId_IsActive",
                schema: "catalog",
                table: "Products",
                columns: new[] { "PartnerId", "IsActive" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Products_PartnerId_IsActive",
                schema: "catalog",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "Brand",
                schema: "catalog",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "Gtin",
                schema: "catalog",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "PartnerId",
                schema: "catalog",
                table: "Products");
        }
    }
}
