using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Retail.Modules.Returns.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReturnLineReceivedQuantity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReceivedQuantity",
                table: "returns_ReturnLines",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReceivedQuantity",
                table: "returns_ReturnLines");
        }
    }
}
