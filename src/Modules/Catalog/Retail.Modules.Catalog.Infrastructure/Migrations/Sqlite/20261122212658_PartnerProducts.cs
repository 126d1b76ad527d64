using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Catalog.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartnerProducts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Brand",
                table: "catalog_Products",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Gtin",
                table: "catalog_Products",
                type: "TEXT",
                maxLength: 14,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartnerId",
                table: "catalog_Products",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_catalog_Products_PartnerId_IsActive",
                table: "catalog_Products",
                columns: new[] { "PartnerId", "IsActive" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_catalog_Products_PartnerId_IsActive",
                table: "catalog_Products");

            migrationBuilder.DropColumn(
                name: "Brand",
                table: "catalog_Products");

            migrationBuilder.DropColumn(
                name: "Gtin",
                table: "catalog_Products");

            migrationBuilder.DropColumn(
                name: "PartnerId",
                table: "catalog_Products");
        }
    }
}
